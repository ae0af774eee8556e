using System.Text.Json.Nodes;

namespace FlyIo.LocalMachines;

public static partial class Api
{
    private static void MapSecrets(RouteGroupBuilder v1, MachineEngine e)
    {
        var g = v1.MapGroup("/apps/{app}/secrets");

        JsonObject List(AppRecord a) => new()
        {
            ["secrets"] = new JsonArray(a.Secrets.Values.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => (JsonNode)s.ToJson()).ToArray()),
        };

        g.MapGet("", (string app) =>
        {
            lock (e.Gate) return Ok(List(e.App(app)));
        }).WithName("secrets_list");

        g.MapPost("", async (HttpContext ctx, string app) =>
        {
            var body = await Body(ctx);
            var values = body["values"] as JsonObject ?? throw new ApiException(400, "values is required");
            lock (e.Gate)
            {
                var a = e.App(app);
                foreach (var (name, _) in values) ValidateSecretName(name);
                var now = DateTimeOffset.UtcNow;
                foreach (var (name, value) in values)
                {
                    if (value is null) a.Secrets.Remove(name);
                    else Set(a, name, value.GetValue<string>(), now);
                }
                a.SecretsVersion++;
                var result = List(a);
                result["version"] = a.SecretsVersion;
                return Ok(result);
            }
        }).WithName("secrets_update");

        g.MapGet("/{name}", (string app, string name) =>
        {
            lock (e.Gate)
            {
                var a = e.App(app);
                return Ok(a.Secrets.TryGetValue(name, out var s) ? s.ToJson() : throw new ApiException(404, "secret not found"));
            }
        }).WithName("secret_get");

        g.MapPost("/{name}", async (HttpContext ctx, string app, string name) =>
        {
            var body = await Body(ctx);
            var value = body["value"]?.GetValue<string>() ?? throw new ApiException(400, "value is required");
            lock (e.Gate)
            {
                var a = e.App(app);
                ValidateSecretName(name);
                Set(a, name, value, DateTimeOffset.UtcNow);
                a.SecretsVersion++;
                var json = a.Secrets[name].ToJson();
                json["version"] = a.SecretsVersion;
                return Ok(json);
            }
        }).WithName("secret_set");

        g.MapDelete("/{name}", (string app, string name) =>
        {
            lock (e.Gate)
            {
                var a = e.App(app);
                if (!a.Secrets.Remove(name)) throw new ApiException(404, "secret not found");
                a.SecretsVersion++;
                return Ok(new JsonObject { ["version"] = a.SecretsVersion });
            }
        }).WithName("secret_delete");
    }

    private static void Set(AppRecord a, string name, string value, DateTimeOffset now)
    {
        if (a.Secrets.TryGetValue(name, out var existing))
        {
            existing.Value = value;
            existing.UpdatedAt = now;
        }
        else a.Secrets[name] = new SecretRecord { Name = name, Value = value, CreatedAt = now, UpdatedAt = now };
    }

    private static void ValidateSecretName(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            throw new ApiException(400, $"invalid secret name '{name}': use letters, digits and underscores, not starting with a digit");
    }
}
