using System;
using System.Security.Cryptography;

namespace FlyIo.Images;

/// <summary>
/// ULIDs (https://github.com/ulid/spec): a 48-bit Unix time in milliseconds then 80 random bits, written as 26
/// Crockford base32 characters, so they sort by time. flyctl tags deployment images <c>deployment-&lt;ULID&gt;</c>.
/// </summary>
public static class Ulid
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string NewUlid() => NewUlid(DateTimeOffset.UtcNow);

    public static string NewUlid(DateTimeOffset time)
    {
        var random = new byte[10];
        using (var rng = RandomNumberGenerator.Create())
        {
            rng.GetBytes(random);
        }

        return Format(time.ToUnixTimeMilliseconds(), random);
    }

    /// <summary>The ULID of a millisecond timestamp (0 .. 2^48-1) and 10 random bytes.</summary>
    public static string Format(long unixMilliseconds, byte[] random)
    {
        if (unixMilliseconds < 0 || unixMilliseconds > 0xFFFFFFFFFFFFL)
        {
            throw new ArgumentOutOfRangeException(nameof(unixMilliseconds));
        }

        if (random is null || random.Length != 10)
        {
            throw new ArgumentException("A ULID has exactly 10 random bytes.", nameof(random));
        }

        // 128 bits = 6 time bytes + 10 random bytes; 26 characters of 5 bits = 130 bits, the first 2 always zero.
        var bytes = new byte[16];
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(unixMilliseconds >> (8 * (5 - i)));
        }

        Array.Copy(random, 0, bytes, 6, 10);
        var chars = new char[26];
        for (var c = 0; c < 26; c++)
        {
            var bit = c * 5 - 2; // first character holds bits -2..2 (the leading two are zero)
            var value = 0;
            for (var k = 0; k < 5; k++)
            {
                var b = bit + k;
                value <<= 1;
                if (b >= 0 && (bytes[b / 8] & (0x80 >> (b % 8))) != 0)
                {
                    value |= 1;
                }
            }

            chars[c] = Alphabet[value];
        }

        return new string(chars);
    }

    /// <summary>The millisecond timestamp a ULID carries; throws on a malformed ULID.</summary>
    public static DateTimeOffset Timestamp(string ulid)
    {
        if (ulid is null || ulid.Length != 26)
        {
            throw new FormatException("A ULID has 26 characters.");
        }

        long ms = 0;
        for (var i = 0; i < 10; i++)
        {
            var v = Alphabet.IndexOf(char.ToUpperInvariant(ulid[i]));
            if (v < 0)
            {
                throw new FormatException($"'{ulid[i]}' is not a Crockford base32 character.");
            }

            ms = (ms << 5) | (long)v;
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }
}

/// <summary>Image references for deployments.</summary>
public static class ImageTags
{
    public const string FlyRegistry = "registry.fly.io";

    /// <summary><c>registry.fly.io/&lt;app&gt;:deployment-&lt;ULID&gt;</c>, as flyctl tags them.</summary>
    public static string Deployment(string app, string? registry = null, string? ulid = null)
    {
        if (string.IsNullOrWhiteSpace(app))
        {
            throw new ArgumentException("The app name is empty.", nameof(app));
        }

        var host = string.IsNullOrWhiteSpace(registry) ? FlyRegistry : registry!.Trim().TrimEnd('/');
        return host + "/" + app.Trim().ToLowerInvariant() + ":" + DeploymentTag(ulid);
    }

    /// <summary><c>deployment-&lt;ULID&gt;</c>: the tag flyctl gives a deployment image, and the SDK's when no ContainerImageTag(s) is set.</summary>
    public static string DeploymentTag(string? ulid = null) => "deployment-" + (ulid ?? Ulid.NewUlid());

    /// <summary>
    /// The registry host of an image reference (<c>registry.fly.io</c>, <c>127.0.0.1:55000</c>); the first part names a
    /// registry only when it looks like a host (a dot, a port, localhost), as Docker reads it: <c>dotnet/aspnet</c> is Docker Hub.
    /// </summary>
    public static string RegistryOf(string reference)
    {
        var slash = reference.IndexOf('/');
        if (slash < 0)
        {
            return "docker.io";
        }

        var first = reference.Substring(0, slash);
        return first.IndexOf('.') >= 0 || first.IndexOf(':') >= 0 || first == "localhost" ? first : "docker.io";
    }
}
