using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace FlyIo.LocalMachines;

/// <summary>A TCP edge proxy per app on a loopback port: each connection goes to the next started, uncordoned machine
/// whose checks all pass, at its first service's internal_port (round robin).</summary>
public sealed class EdgeProxy(MachineEngine engine, int basePort) : IDisposable
{
    private readonly Dictionary<string, (TcpListener Listener, CancellationTokenSource Cts)> _listeners = new(StringComparer.Ordinal);
    private int _next;

    public JsonObject Ensure(string app)
    {
        lock (_listeners)
        {
            if (!_listeners.ContainsKey(app))
            {
                var port = basePort == 0 ? 0 : basePort + _listeners.Count;
                var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                var cts = new CancellationTokenSource();
                _listeners[app] = (listener, cts);
                _ = AcceptLoop(app, listener, cts.Token);
            }
        }
        return Describe(app);
    }

    public JsonObject Describe(string app)
    {
        lock (_listeners)
        {
            var o = new JsonObject();
            if (_listeners.TryGetValue(app, out var l))
            {
                var port = ((IPEndPoint)l.Listener.LocalEndpoint).Port;
                o["port"] = port;
                o["url"] = $"http://127.0.0.1:{port}";
            }
            o["targets"] = new JsonArray(Targets(app).Select(t => (JsonNode)$"{t.Host}:{t.Port}").ToArray());
            return o;
        }
    }

    public List<(string Host, int Port)> Targets(string app)
    {
        lock (engine.Gate)
        {
            if (!engine.Apps.TryGetValue(app, out var a)) return new();
            return a.Machines.Values
                .Where(m => m.State == "started" && !m.Cordoned && m.Instance is not null && m.Checks.All(c => c.Status == "passing"))
                .Select(m => (m.Instance!.Address, Port: ((m.Config["services"] as JsonArray)?.FirstOrDefault() as JsonObject)?["internal_port"]?.GetValue<int>() ?? 0))
                .Where(t => t.Port > 0)
                .OrderBy(t => t.Address, StringComparer.Ordinal)
                .ToList();
        }
    }

    private async Task AcceptLoop(string app, TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(ct).ConfigureAwait(false); }
            catch (Exception) { return; }
            _ = Task.Run(() => ServeAsync(app, client, ct), ct);
        }
    }

    /// <summary>
    /// Hands the connection to a healthy machine. A machine that refuses the connection (it began stopping after the
    /// target list was read) is skipped for the next one, as Fly's proxy retries connection errors elsewhere.
    /// </summary>
    private async Task ServeAsync(string app, TcpClient client, CancellationToken ct)
    {
        using (client)
        {
            var targets = Targets(app);
            var start = (int)((uint)Interlocked.Increment(ref _next) % Math.Max(1, targets.Count));
            for (var attempt = 0; attempt < targets.Count; attempt++)
            {
                var (host, port) = targets[(start + attempt) % targets.Count];
                using var upstream = new TcpClient();
                try
                {
                    await upstream.ConnectAsync(host, port, ct).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    continue;
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                try
                {
                    await TcpPipe.JoinAsync(client, upstream, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
                {
                }
                return;
            }
        }
    }

    public void Dispose()
    {
        lock (_listeners)
        {
            foreach (var (listener, cts) in _listeners.Values)
            {
                cts.Cancel();
                listener.Stop();
            }
            _listeners.Clear();
        }
    }
}
