namespace SnipcartGateway.Sandbox;

// Slow answers: a call that arrives and then takes its time, so tests can act while the caller waits
// (kill the caller mid-call, or let another request overtake it).
public sealed partial class SandboxState
{
    private readonly Dictionary<SimulatedEndpoint, Queue<TimeSpan>> _delays = [];
    private readonly Dictionary<SimulatedEndpoint, Queue<TimeSpan>> _answerDelays = [];
    private int _delaysTaken;

    /// <summary>
    /// Makes the next <paramref name="times"/> calls to <paramref name="endpoint"/> wait <paramref name="delay"/>
    /// after they arrive and before they take effect. A caller that goes away meanwhile changes nothing.
    /// Supported by Snipcart's create-payment endpoint.
    /// </summary>
    public void DelayNext(SimulatedEndpoint endpoint, TimeSpan delay, int times = 1) => Enqueue(_delays, endpoint, delay, times);

    /// <summary>
    /// Makes the next <paramref name="times"/> calls to <paramref name="endpoint"/> take effect and then wait
    /// <paramref name="delay"/> before answering: the call happened, but a caller that dies meanwhile never hears it.
    /// Supported by Sandbox Pay's refund endpoint (a refund made whose answer is lost).
    /// </summary>
    public void DelayAnswerNext(SimulatedEndpoint endpoint, TimeSpan delay, int times = 1) => Enqueue(_answerDelays, endpoint, delay, times);

    /// <summary>How many delayed calls have arrived so far (each is waiting or done): tests wait on it to know a call is in flight.</summary>
    public int DelaysTaken
    {
        get { lock (_gate) { return _delaysTaken; } }
    }

    internal TimeSpan? TakeDelay(SimulatedEndpoint endpoint) => Dequeue(_delays, endpoint);

    internal TimeSpan? TakeAnswerDelay(SimulatedEndpoint endpoint) => Dequeue(_answerDelays, endpoint);

    private void Enqueue(Dictionary<SimulatedEndpoint, Queue<TimeSpan>> delays, SimulatedEndpoint endpoint, TimeSpan delay, int times)
    {
        lock (_gate)
        {
            if (!delays.TryGetValue(endpoint, out var queue))
            {
                delays[endpoint] = queue = new Queue<TimeSpan>();
            }
            for (var i = 0; i < times; i++)
            {
                queue.Enqueue(delay);
            }
        }
    }

    private TimeSpan? Dequeue(Dictionary<SimulatedEndpoint, Queue<TimeSpan>> delays, SimulatedEndpoint endpoint)
    {
        lock (_gate)
        {
            if (delays.TryGetValue(endpoint, out var queue) && queue.TryDequeue(out var delay))
            {
                _delaysTaken++;
                return delay;
            }
            return null;
        }
    }
}
