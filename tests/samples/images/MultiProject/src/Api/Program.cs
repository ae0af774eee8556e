var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

app.MapGet("/healthz", () => "ok");
app.MapGet("/hello/{name}", (string name) => Shared.Greeting.For(name));

app.Run();
