using FlyIo.Runtime;
using Npgsql;

var builder = WebApplication.CreateBuilder(args);

// The helper turns the URI into Host=...;Port=...;Username=...;Password=...;Database=...
var databaseUrl = Environment.GetEnvironmentVariable("DATABASE_URL")
    ?? throw new InvalidOperationException("DATABASE_URL is not set");
await using var dataSource = NpgsqlDataSource.Create(FlyDatabaseUrl.ToNpgsqlConnectionString(databaseUrl));

// Or with no code: the SDK's module initializer fills ConnectionStrings__Default from DATABASE_URL.
var connectionString = builder.Configuration.GetConnectionString("Default")
    ?? throw new InvalidOperationException("No database configured");

var app = builder.Build();
app.MapGet("/", async () =>
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    return "ok";
});
app.Run();
