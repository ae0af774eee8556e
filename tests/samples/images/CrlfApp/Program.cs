var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

// entrypoint.sh exports STARTED_BY; the health check reports it so the tests see the script really ran.
app.MapGet("/healthz", () => "ok " + (Environment.GetEnvironmentVariable("STARTED_BY") ?? "directly"));

app.Run();
