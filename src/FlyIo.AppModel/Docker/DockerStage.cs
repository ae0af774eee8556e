using System;
using System.Collections.Generic;

namespace FlyIo.AppModel.Docker;

/// <summary>A COPY or ADD: its sources (build-context paths, or paths in another stage with --from) and destination.</summary>
public sealed class DockerCopy
{
    public DockerCopy(DockerInstruction instruction, IReadOnlyList<string> sources, string destination, string workdir)
    {
        Instruction = instruction;
        Sources = sources;
        Destination = destination;
        Workdir = workdir;
    }

    public DockerInstruction Instruction { get; }

    public IReadOnlyList<string> Sources { get; }

    public string Destination { get; }

    /// <summary>The WORKDIR in force when the instruction runs (absolute, '/' separated; "/" by default).</summary>
    public string Workdir { get; }

    /// <summary>The --from stage or image, or null when the sources come from the build context.</summary>
    public string? From => Instruction.Flag("from");

    public bool FromBuildContext => From is null && Instruction.Heredocs.Count == 0;

    /// <summary>The destination as an absolute path in the image (relative destinations resolve against the WORKDIR).</summary>
    public string AbsoluteDestination => DockerPaths.Resolve(Workdir, Destination);
}

/// <summary>One port named by an EXPOSE instruction (the first of a range, without /tcp or /udp), with the line it is on.</summary>
public sealed record ExposedPort(int Port, int Line);

/// <summary>One build stage: a FROM and the instructions up to the next FROM.</summary>
public sealed class DockerStage
{
    internal DockerStage(int index, DockerInstruction from, string image, string resolvedImage, string? name, string? platform)
    {
        Index = index;
        From = from;
        Image = image;
        ResolvedImage = resolvedImage;
        Name = name;
        Platform = platform;
    }

    public int Index { get; }

    /// <summary>The FROM instruction that starts the stage.</summary>
    public DockerInstruction From { get; }

    /// <summary>The image as written (may hold ${ARG} references).</summary>
    public string Image { get; }

    /// <summary>The image after global ARG defaults are substituted.</summary>
    public string ResolvedImage { get; }

    /// <summary>The AS name, or null.</summary>
    public string? Name { get; }

    public string? Platform { get; }

    /// <summary>The earlier stage this one starts FROM (FROM build AS publish), or null when it starts from an image.</summary>
    public DockerStage? BaseStage { get; internal set; }

    /// <summary>The instructions after FROM, in order.</summary>
    public IReadOnlyList<DockerInstruction> Instructions => InstructionList;

    internal List<DockerInstruction> InstructionList { get; } = new();

    /// <summary>COPY and ADD instructions of this stage alone, with the WORKDIR each runs under.</summary>
    public IReadOnlyList<DockerCopy> Copies { get; internal set; } = Array.Empty<DockerCopy>();

    /// <summary>ENV variables set by this stage alone (name -> value as written).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Env { get; internal set; } = Array.Empty<KeyValuePair<string, string>>();

    /// <summary>The ENTRYPOINT the stage's image runs (its own, else its base stage's), or null.</summary>
    public ImageCommand? Entrypoint { get; internal set; }

    /// <summary>The CMD the stage's image runs, or null: an ENTRYPOINT drops a CMD inherited from the base stage.</summary>
    public ImageCommand? Cmd { get; internal set; }

    /// <summary>The ports the stage's image EXPOSEs, its base stage's first, ARG and ENV values substituted.</summary>
    public IReadOnlyList<ExposedPort> ExposedPorts { get; internal set; } = Array.Empty<ExposedPort>();

    /// <summary>The WORKDIR this stage starts with (inherited from its base stage, else "/").</summary>
    public string InitialWorkdir { get; internal set; } = "/";

    /// <summary>The WORKDIR in force at the end of the stage: where a stage built FROM it starts.</summary>
    public string FinalWorkdir { get; internal set; } = "/";

    /// <summary>The image at the root of the FROM chain (follows FROM &lt;stage&gt; back to a real image).</summary>
    public DockerStage RootStage
    {
        get
        {
            var stage = this;
            var guard = 0;
            while (stage.BaseStage is not null && guard++ < 256)
            {
                stage = stage.BaseStage;
            }

            return stage;
        }
    }

    /// <summary>This stage and the stages it is built on, the root first.</summary>
    public IReadOnlyList<DockerStage> Chain
    {
        get
        {
            var list = new List<DockerStage>();
            var stage = this;
            while (stage is not null && list.Count < 256)
            {
                list.Insert(0, stage);
                stage = stage.BaseStage;
            }

            return list;
        }
    }

    /// <summary>ENV of the whole FROM chain (later stages override).</summary>
    public IReadOnlyDictionary<string, string> EffectiveEnv
    {
        get
        {
            var env = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var stage in Chain)
            {
                foreach (var pair in stage.Env)
                {
                    env[pair.Key] = pair.Value;
                }
            }

            return env;
        }
    }

    public override string ToString() => Name is null ? $"stage {Index}: {ResolvedImage}" : $"stage {Index} ({Name}): {ResolvedImage}";
}

/// <summary>POSIX path helpers for paths inside an image.</summary>
public static class DockerPaths
{
    /// <summary>Resolves <paramref name="path"/> against <paramref name="workdir"/>; keeps a trailing '/'.</summary>
    public static string Resolve(string workdir, string path)
    {
        var trailing = path.EndsWith("/", StringComparison.Ordinal) || path == "." || path.EndsWith("/.", StringComparison.Ordinal);
        var combined = path.StartsWith("/", StringComparison.Ordinal) ? path : workdir.TrimEnd('/') + "/" + path;
        var parts = new List<string>();
        foreach (var part in combined.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        var result = "/" + string.Join("/", parts);
        return trailing && result != "/" ? result + "/" : result;
    }
}
