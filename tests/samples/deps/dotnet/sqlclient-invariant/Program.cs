using Microsoft.Data.SqlClient;

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/orders/count", async () =>
{
    await using var connection = new SqlConnection(builder.Configuration.GetConnectionString("Orders") ?? "Server=localhost");
    await connection.OpenAsync();
    return "ok";
});
app.Run();
