using Npgsql;

namespace Shared;

public sealed class OrderStore(string connectionString)
{
    public async Task<long> CountAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orders", connection);
        return (long)(await command.ExecuteScalarAsync() ?? 0L);
    }
}
