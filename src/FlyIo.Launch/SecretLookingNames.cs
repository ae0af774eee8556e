using System;
using System.Linq;

namespace FlyIo.Launch;

/// <summary>
/// Whether a variable's value is a secret by its name: fly.toml is committed, so a name that looks like a password, a
/// token, a key or a URL with credentials in it is only named in a comment, and its value goes to Fly as a secret.
/// </summary>
public static class SecretLookingNames
{
    private static readonly string[] Words = { "SECRET", "PASSWORD", "PASSWD", "TOKEN", "APIKEY", "API_KEY", "PRIVATE", "CREDENTIAL", "CONNECTIONSTRING", "DSN" };

    private static readonly string[] UrlServices = { "DATABASE", "DB", "POSTGRES", "PG", "MYSQL", "REDIS", "MONGO", "AMQP", "RABBIT", "SMTP" };

    public static bool IsSecret(string environmentName)
    {
        var name = environmentName.ToUpperInvariant().Replace("__", "_");
        if (Words.Any(w => name.IndexOf(w, StringComparison.Ordinal) >= 0) || name.EndsWith("KEY", StringComparison.Ordinal))
        {
            return true;
        }

        // DATABASE_URL, REDIS_URL, MONGODB_URI: connection URLs carry a password.
        return (name.EndsWith("_URL", StringComparison.Ordinal) || name.EndsWith("_URI", StringComparison.Ordinal)) &&
               UrlServices.Any(s => name.StartsWith(s, StringComparison.Ordinal));
    }
}
