// Benchmark only: Snipcart's token validation, answered at once, so the benchmark measures the gateway and not
// an upstream. GET .../custom-payment-gateway/validate?publicToken=... answers 200 with a small JSON body; anything
// else 404. It also takes OTLP/HTTP exports (POST /v1/traces, /v1/metrics, /v1/logs: read and answered 200), so the
// benchmark's telemetry-on gateway has a collector. Keep-alive, one Node process, as cheap as an HTTP server gets here.
//   node bench/fake-upstream.js <port>
const http = require('http');
const port = Number(process.argv[2] || 7190);
const ok = Buffer.from('{"ok":true}');
const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url.includes('/custom-payment-gateway/validate?publicToken=')) {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': ok.length });
    res.end(ok);
  } else if (req.method === 'POST' && req.url.startsWith('/v1/')) {
    req.resume();
    req.on('end', () => { res.writeHead(200, { 'Content-Type': 'application/x-protobuf', 'Content-Length': 0 }); res.end(); });
  } else {
    res.writeHead(404, { 'Content-Length': 0 });
    res.end();
  }
});
server.keepAliveTimeout = 60000;
server.listen(port, '127.0.0.1', () => console.log(`fake upstream on http://127.0.0.1:${port}`));
