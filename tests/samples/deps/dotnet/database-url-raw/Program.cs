using Npgsql;

var builder = WebApplication.CreateBuilder(args);

// Fly's `fly postgres attach` sets DATABASE_URL=postgres://user:pass@host:5432/db?sslmode=disable
var databaseUrl = Environment.GetEnvironmentVariable("DATABASE_URL")
    ?? throw new InvalidOperationException("DATABASE_URL is not set");
await using var dataSource = NpgsqlDataSource.Create(databaseUrl);

var app = builder.Build();
app.MapGet("/", async () =>
{
    await using var connection = new NpgsqlConnection(builder.Configuration["DATABASE_URL"]);
    await connection.OpenAsync();
    return "ok";
});
app.Run();
