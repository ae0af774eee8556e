var builder = WebApplication.CreateBuilder(args);
builder.Services.AddHealthChecks();

var app = builder.Build();

app.MapGet("/", () => "Hello from FlyIo.Sdk's sample app");
app.MapGet("/todos/{id}", (int id) => Results.Ok(new { id, title = "ship it" }));
app.MapHealthChecks("/healthz");

app.Run();
