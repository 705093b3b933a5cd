// Benchmark only: a fault-injecting HTTP proxy, put in front of an upstream (Snipcart's API in
// scripts/bench-faults.sh). Each request independently: answered 503 at once (p503), held without an answer until
// the client gives up (phang), its connection reset (preset), or forwarded to the target as it is. Prints counts on
// SIGTERM/SIGINT and to stdout every 5 s.
//   node bench/fault-proxy.js <port> <target base URL> <p503> <phang> <preset>
const http = require('http');
const [port, target, p503, phang, preset] = [Number(process.argv[2]), new URL(process.argv[3]),
  Number(process.argv[4] || 0.2), Number(process.argv[5] || 0.1), Number(process.argv[6] || 0.05)];
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const counts = { forwarded: 0, status503: 0, hung: 0, reset: 0 };
const server = http.createServer((req, res) => {
  const r = Math.random();
  if (r < p503) {
    counts.status503++;
    res.writeHead(503, { 'Content-Type': 'application/json', 'Content-Length': 2 });
    res.end('{}');
  } else if (r < p503 + phang) {
    counts.hung++; // never answered; the client's timeout ends it
  } else if (r < p503 + phang + preset) {
    counts.reset++;
    req.socket.resetAndDestroy();
  } else {
    counts.forwarded++;
    const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method,
      headers: { ...req.headers, host: target.host }, agent }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }
});
server.keepAliveTimeout = 60000;
server.listen(port, '127.0.0.1', () => console.log(`fault proxy on http://127.0.0.1:${port} -> ${target} (503 ${p503}, hang ${phang}, reset ${preset})`));
const report = () => console.log(JSON.stringify(counts));
setInterval(report, 5000).unref();
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => { report(); process.exit(0); });
