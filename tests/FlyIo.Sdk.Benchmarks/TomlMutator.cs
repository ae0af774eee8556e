using System;
using System.Collections.Generic;
using System.Text;

namespace FlyIo.Sdk.Benchmarks;

/// <summary>
/// Deterministic mutation of TOML corpus files: input <c>i</c> of seed <c>s</c> is always the same bytes, so a crash
/// found by a long run can be replayed from its seed and index alone.
/// </summary>
public sealed class TomlMutator
{
    /// <summary>Fragments that steer mutations towards the parser's interesting states rather than random noise.</summary>
    private static readonly byte[][] Fragments = BuildFragments();

    private readonly IReadOnlyList<byte[]> _corpus;
    private readonly int _seed;

    public TomlMutator(IReadOnlyList<byte[]> corpus, int seed)
    {
        if (corpus.Count == 0)
        {
            throw new ArgumentException("the corpus is empty", nameof(corpus));
        }

        _corpus = corpus;
        _seed = seed;
    }

    public byte[] Generate(int index)
    {
        var random = new Random(unchecked(_seed * 1_000_003 + index));
        var data = new List<byte>(_corpus[random.Next(_corpus.Count)]);
        var mutations = 1 + random.Next(4);
        for (var m = 0; m < mutations; m++)
        {
            Mutate(data, random);
        }

        return data.ToArray();
    }

    private void Mutate(List<byte> data, Random random)
    {
        var at = random.Next(data.Count + 1);
        switch (random.Next(6))
        {
            case 0 when data.Count > 0:
                // Flip one bit, or overwrite with any byte (reaches invalid UTF-8 and control characters).
                var flip = Math.Min(at, data.Count - 1);
                data[flip] = random.Next(2) == 0 ? (byte)(data[flip] ^ (1 << random.Next(8))) : (byte)random.Next(256);
                break;
            case 1:
            case 2:
                data.InsertRange(at, Fragments[random.Next(Fragments.Length)]);
                break;
            case 3 when data.Count > 0:
                var length = Math.Min(1 + random.Next(16), data.Count - Math.Min(at, data.Count - 1));
                data.RemoveRange(Math.Min(at, data.Count - 1), length);
                break;
            case 4:
                var donor = _corpus[random.Next(_corpus.Count)];
                if (donor.Length > 0)
                {
                    var from = random.Next(donor.Length);
                    var count = Math.Min(1 + random.Next(64), donor.Length - from);
                    var chunk = new byte[count];
                    Array.Copy(donor, from, chunk, 0, count);
                    data.InsertRange(at, chunk);
                }

                break;
            default:
                if (data.Count > 0)
                {
                    // Repeat a short run many times: deep nesting, long lines, many keys.
                    var start = Math.Min(at, data.Count - 1);
                    var run = data.GetRange(start, Math.Min(1 + random.Next(8), data.Count - start)).ToArray();
                    var times = 1 + random.Next(random.Next(2) == 0 ? 4 : 700);
                    for (var t = 0; t < times; t++)
                    {
                        data.InsertRange(start, run);
                    }
                }

                break;
        }
    }

    private static byte[][] BuildFragments()
    {
        var texts = new[]
        {
            "[", "]", "[[", "]]", "{", "}", "=", ",", ".", "\"", "'", "\"\"\"", "'''", "#", "\n", "\r", "\r\n", "\\", "\\u",
            "\\U0010FFFF", "\\uD800", " ", "\t", "0x", "0o", "0b", "e", "E+", "_", ":", "-", "+", "T", "Z", "z", ".5", "inf", "nan",
            "true", "false", "\0", "\u007f", "\u0008", "a.b.c", "[a]", "[[a]]", "a = 1\n", "a = {}\n", "x = [\n", "1979-05-27T07:32:00Z",
            "07:32:00", "9223372036854775808", "-0", "\u00e9", "\U0001F600", "\uFEFF",
        };
        var fragments = new List<byte[]>();
        foreach (var text in texts)
        {
            fragments.Add(Encoding.UTF8.GetBytes(text));
        }

        // Raw bytes no text encoding produces: overlong, surrogate, stray continuation, truncated sequence.
        fragments.Add(new byte[] { 0xC0, 0xAF });
        fragments.Add(new byte[] { 0xED, 0xA0, 0x80 });
        fragments.Add(new byte[] { 0x80 });
        fragments.Add(new byte[] { 0xF0, 0x9F });
        fragments.Add(new byte[] { 0xFF });
        return fragments.ToArray();
    }
}
