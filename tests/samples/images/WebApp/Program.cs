using System.Runtime;

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

app.MapGet("/healthz", () => "ok");

// What the GC was configured with inside the container (the tests read it back).
app.MapGet("/gc", () => new
{
    serverGc = GCSettings.IsServerGC,
    totalAvailableMemoryBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
    heapSizeBytes = GC.GetGCMemoryInfo().HeapSizeBytes,
    processorCount = Environment.ProcessorCount,
});

// A fixed amount of allocation per request, for the memory benchmark.
app.MapGet("/work", () =>
{
    var keep = new List<byte[]>();
    for (var i = 0; i < 64; i++)
    {
        keep.Add(new byte[16 * 1024]);
    }

    return keep.Sum(b => b.Length);
});

app.Run();
