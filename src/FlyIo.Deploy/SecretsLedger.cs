using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using FlyIo.Machines;

namespace FlyIo.Deploy;

/// <summary>
/// What the deploys set as secrets, so a deploy sends only what changed: Fly never gives a secret's value back, and its
/// digest is opaque, so each deploy records, per secret it set, a keyed hash of the value (HMAC-SHA256 with a random
/// per-app key, first 64 bits) and the digest Fly listed for it then. A secret is unchanged when both still match: the
/// value is the one sent last time, and nobody set another since. Kept in the managed machines' metadata
/// (<c>fly_secrets</c>), beside the release bookkeeping.
/// </summary>
internal sealed class SecretsLedger
{
    public const string MetadataKey = "fly_secrets";
    private const string Version = "v1";

    private readonly byte[] _key;
    private readonly SortedDictionary<string, (string Mac, string Digest)> _entries;

    private SecretsLedger(byte[] key, SortedDictionary<string, (string Mac, string Digest)> entries)
    {
        _key = key;
        _entries = entries;
    }

    /// <summary>The ledger the app's newest release recorded, or an empty one with a new key.</summary>
    public static SecretsLedger Read(IEnumerable<Machine> machines)
    {
        var newest = machines
            .OrderByDescending(m => int.TryParse(m.Metadata("fly_release_version"), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
            .Select(m => m.Metadata(MetadataKey))
            .FirstOrDefault(text => !string.IsNullOrEmpty(text));
        return Parse(newest) ?? new SecretsLedger(NewKey(), new SortedDictionary<string, (string, string)>(StringComparer.Ordinal));
    }

    /// <summary>Whether <paramref name="value"/> is what the last deploy set for <paramref name="name"/>, and Fly still holds it.</summary>
    public bool Unchanged(string name, string value, IReadOnlyDictionary<string, string?> flyDigests) =>
        _entries.TryGetValue(name, out var entry)
        && flyDigests.TryGetValue(name, out var digest) && digest is { Length: > 0 } && digest == entry.Digest
        && entry.Mac == Mac(name, value);

    /// <summary>The ledger after a deploy set <paramref name="sent"/> (null: unset), with the digests Fly listed afterwards.</summary>
    public SecretsLedger With(IReadOnlyDictionary<string, string?> sent, IReadOnlyList<AppSecret> after)
    {
        var entries = new SortedDictionary<string, (string, string)>(_entries, StringComparer.Ordinal);
        var digests = after.ToDictionary(s => s.Name, s => s.Digest, StringComparer.Ordinal);
        foreach (var kv in sent)
        {
            if (kv.Value is null || !digests.TryGetValue(kv.Key, out var digest) || string.IsNullOrEmpty(digest))
            {
                entries.Remove(kv.Key);
            }
            else
            {
                entries[kv.Key] = (Mac(kv.Key, kv.Value), digest!);
            }
        }

        return new SecretsLedger(_key, entries);
    }

    /// <summary>True when no secret was ever recorded: nothing to keep in metadata.</summary>
    public bool IsEmpty => _entries.Count == 0;

    public string Encode() =>
        string.Join(";", new[] { Version, Convert.ToBase64String(_key) }.Concat(_entries.Select(e => $"{e.Key}={e.Value.Mac}@{e.Value.Digest}")));

    private static SecretsLedger? Parse(string? text)
    {
        var parts = text?.Split(';');
        if (parts is null || parts.Length < 2 || parts[0] != Version)
        {
            return null;
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException)
        {
            return null;
        }

        var entries = new SortedDictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var part in parts.Skip(2))
        {
            var eq = part.IndexOf('=');
            var at = part.LastIndexOf('@');
            if (eq > 0 && at > eq)
            {
                entries[part.Substring(0, eq)] = (part.Substring(eq + 1, at - eq - 1), part.Substring(at + 1));
            }
        }

        return new SecretsLedger(key, entries);
    }

    private string Mac(string name, string value)
    {
        using var hmac = new HMACSHA256(_key);
        var hash = hmac.ComputeHash(Encoding.UTF8.GetBytes(name + "\0" + value));
        return string.Concat(hash.Take(8).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    private static byte[] NewKey()
    {
        var key = new byte[16];
        using var random = RandomNumberGenerator.Create();
        random.GetBytes(key);
        return key;
    }
}
