using FlyIo.LocalMachines;

// dotnet run --project src/FlyIo.LocalMachines -- --urls http://127.0.0.1:4280 --token-file TOKEN [options]
var options = new ServerOptions();
string? faultsFile = null;
int? seed = null;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--urls": options.Urls = Next(); break;
        case "--token": options.Token = Next(); break;
        case "--token-file": options.Token = File.ReadAllText(Next()).Trim(); break;
        case "--runtime": options.Runtime = Next(); break;
        case "--faults": faultsFile = Next(); break;
        case "--seed": seed = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--rate-limits": options.RateLimits = true; break;
        case "--region": options.DefaultRegion = Next(); break;
        case "--start-delay-ms": options.StartDelay = TimeSpan.FromMilliseconds(int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture)); break;
        case "--registry-password-file": options.RegistryPassword = File.ReadAllText(Next()).Trim(); break;
        case "--insecure-registry": options.InsecureRegistries.Add(Next()); break;
        case "--registry": options.Registries.Add(Next()); break;
        case "--data-dir": options.DataDir = Next(); break;
        // Two servers running real machines at once need different private ranges, or their machines' addresses collide.
        case "--subnet": options.Subnet = Next(); break;
        // A PostgreSQL on the host's loopback, reached from machines as a Fly app reaches its database over flycast.
        case "--no-memory-limits": options.MemoryLimits = false; break;
        case "--host-service": options.HostServices.Add(HostService.Parse(Next())); break;
        case "--proxy-base-port": options.ProxyBasePort = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--help" or "-h":
            Console.WriteLine("usage: FlyIo.LocalMachines --token-file FILE [--urls URL] [--runtime simulated|process] [--faults FILE.json] [--seed N]");
            Console.WriteLine("       [--rate-limits] [--region iad] [--start-delay-ms 100] [--registry-password-file FILE] [--insecure-registry HOST:PORT] [--registry HOST:PORT]");
            Console.WriteLine("       [--data-dir DIR] [--subnet 172.30] [--proxy-base-port N]");
            Console.WriteLine("       [--host-service NAME:PORT=HOST:PORT ...] [--no-memory-limits]  (see docs/local-machines-api.md)");
            return 0;
        default: Console.Error.WriteLine($"unknown argument '{args[i]}' (--help lists them)"); return 2;
    }
}
options.Token = Environment.GetEnvironmentVariable("FLYIO_MACHINES_API_TOKEN") is { Length: > 0 } t && options.Token.Length == 0 ? t : options.Token;
if (options.Token.Length == 0)
{
    Console.Error.WriteLine("error: give the API token with --token-file FILE (or FLYIO_MACHINES_API_TOKEN)");
    return 2;
}
if (faultsFile is not null) options.Faults = FaultInjector.Parse(File.ReadAllText(faultsFile));
if (seed is not null) (options.Faults ??= new FaultSet()).Seed = seed.Value;
var app = LocalMachinesServer.Build(options);
await app.StartAsync();
Console.WriteLine(LocalMachinesServer.BaseUrl(app));
await app.WaitForShutdownAsync();
return 0;
