using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Toml;

namespace FlyIo.Sdk.Benchmarks;

/// <summary>Outcome of a fuzz run; crashes are exceptions other than <see cref="TomlParseException"/>.</summary>
public sealed class TomlFuzzResult
{
    public int Inputs { get; set; }
    public int Accepted { get; set; }
    public int Rejected { get; set; }
    public int Crashes { get; set; }
    public int Hangs { get; set; }
    public List<string> Findings { get; } = new();

    public override string ToString() => $"inputs {Inputs}, accepted {Accepted}, rejected {Rejected}, crashes {Crashes}, hangs {Hangs}";
}

/// <summary>Runs mutated inputs through <see cref="TomlParser"/> with a per-input time limit.</summary>
public static class TomlFuzzer
{
    /// <summary>The suite and fly.toml files under a shared data folder (…/shared/data).</summary>
    public static List<byte[]> LoadCorpus(string sharedData)
    {
        var files = Directory.GetFiles(Path.Combine(sharedData, "toml-test"), "*.toml", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(sharedData, "fly-toml"), "*.toml", SearchOption.AllDirectories))
            .OrderBy(f => f, StringComparer.Ordinal);
        return files.Select(File.ReadAllBytes).ToList();
    }

    public static TomlFuzzResult Run(IReadOnlyList<byte[]> corpus, int seed, int count, TimeSpan timeout, Action<int>? progress = null) =>
        Run(corpus, seed, count, timeout, input => TomlParser.Parse(input), progress);

    /// <summary>
    /// Runs mutated inputs through <paramref name="target"/> (the parser, the fly.toml validator, the editor): a
    /// <see cref="TomlParseException"/> is a rejection; any other exception a crash; running past the timeout a hang.
    /// </summary>
    public static TomlFuzzResult Run(IReadOnlyList<byte[]> corpus, int seed, int count, TimeSpan timeout, Action<byte[]> target, Action<int>? progress = null)
    {
        var mutator = new TomlMutator(corpus, seed);
        var result = new TomlFuzzResult();
        for (var i = 0; i < count; i++)
        {
            var input = mutator.Generate(i);
            result.Inputs++;
            var outcome = RunWithTimeout(input, target, timeout);
            switch (outcome)
            {
                case null:
                    result.Accepted++;
                    break;
                case TomlParseException:
                    result.Rejected++;
                    break;
                case TimeoutException:
                    result.Hangs++;
                    result.Findings.Add($"hang: seed {seed} index {i}");
                    break;
                default:
                    result.Crashes++;
                    result.Findings.Add($"crash: seed {seed} index {i}: {outcome.GetType().Name}: {outcome.Message}");
                    break;
            }

            progress?.Invoke(i);
        }

        return result;
    }

    /// <summary>Null when the target took the input, the exception otherwise; a <see cref="TimeoutException"/> marks a hang.</summary>
    private static Exception? RunWithTimeout(byte[] input, Action<byte[]> target, TimeSpan timeout)
    {
        Exception? error = null;
        var task = Task.Factory.StartNew(() =>
        {
            try
            {
                target(input);
            }
            catch (Exception e)
            {
                error = e;
            }
        }, CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);

        // A hung parse cannot be aborted; its thread is abandoned and the run goes on.
        return task.Wait(timeout) ? error : new TimeoutException();
    }
}
