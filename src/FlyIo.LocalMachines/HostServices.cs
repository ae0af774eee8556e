using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FlyIo.LocalMachines;

/// <summary>
/// A service on the host's loopback that real machines reach under a private name, as Fly apps reach a Postgres app
/// at <c>&lt;name&gt;.flycast:5432</c>. Given as <c>--host-service db.flycast:5432=127.0.0.1:55432</c>.
/// </summary>
public sealed record HostService(string Name, int Port, string TargetHost, int TargetPort)
{
    public static HostService Parse(string text)
    {
        var eq = text.IndexOf('=');
        if (eq <= 0) throw new ArgumentException($"--host-service '{text}': expected NAME:PORT=HOST:PORT, e.g. db.flycast:5432=127.0.0.1:55432");
        var (name, port) = HostAndPort(text[..eq], text);
        var (targetHost, targetPort) = HostAndPort(text[(eq + 1)..], text);
        return new HostService(name, port, targetHost, targetPort);
    }

    private static (string Host, int Port) HostAndPort(string part, string whole)
    {
        var colon = part.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(part[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new ArgumentException($"--host-service '{whole}': '{part}' is not HOST:PORT");
        return (part[..colon], port);
    }
}

/// <summary>
/// Relays a machine's connections to the host services. Machines live in their own network namespaces and cannot
/// reach the host's loopback, so each machine gets listeners on its veth's host address (the only host address its
/// routes lead to), and its /etc/hosts names that address. Nothing listens beyond the machine's own link.
/// </summary>
public sealed class HostServiceRelay : IDisposable
{
    private readonly List<TcpListener> _listeners = new();
    private readonly CancellationTokenSource _stop = new();

    public HostServiceRelay(IEnumerable<HostService> services, string hostAddress)
    {
        foreach (var service in services)
        {
            var listener = new TcpListener(IPAddress.Parse(hostAddress), service.Port);
            listener.Start();
            _listeners.Add(listener);
            _ = AcceptLoop(listener, service);
        }
    }

    /// <summary>The /etc/hosts lines that point each service's name at <paramref name="hostAddress"/>.</summary>
    public static IEnumerable<string> HostsLines(IEnumerable<HostService> services, string hostAddress) =>
        services.Select(s => s.Name).Distinct(StringComparer.OrdinalIgnoreCase).Select(name => $"{hostAddress}\t{name}");

    private async Task AcceptLoop(TcpListener listener, HostService service)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false); }
            catch (Exception) { return; }
            _ = Relay(client, service);
        }
    }

    private async Task Relay(TcpClient client, HostService service)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(service.TargetHost, service.TargetPort, _stop.Token).ConfigureAwait(false);
                await TcpPipe.JoinAsync(client, upstream, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                // The machine sees a closed connection, as it would when the service is down.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var listener in _listeners) listener.Stop();
        _stop.Dispose();
    }
}

/// <summary>Copies bytes both ways until both sides have finished sending.</summary>
public static class TcpPipe
{
    public static Task JoinAsync(TcpClient a, TcpClient b, CancellationToken cancellationToken)
    {
        var sa = a.GetStream();
        var sb = b.GetStream();
        var forward = sa.CopyToAsync(sb, cancellationToken).ContinueWith(_ => Shutdown(b), TaskScheduler.Default);
        var backward = sb.CopyToAsync(sa, cancellationToken).ContinueWith(_ => Shutdown(a), TaskScheduler.Default);
        return Task.WhenAll(forward, backward);
    }

    private static void Shutdown(TcpClient client)
    {
        try { client.Client.Shutdown(SocketShutdown.Send); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
    }
}
