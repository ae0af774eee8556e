using Shared;

var builder = WebApplication.CreateBuilder(args);
var connectionString = builder.Configuration.GetConnectionString("Default")
    ?? throw new InvalidOperationException("ConnectionStrings__Default is not set");
builder.Services.AddSingleton(new OrderStore(connectionString));

var app = builder.Build();
app.MapGet("/", () => Greeting.For(Environment.GetEnvironmentVariable("FLY_REGION") ?? "local"));
app.MapGet("/orders", (OrderStore store) => store.CountAsync());
app.Run();
