using System;
using System.IO;
using FlyIo.AppModel.Docker;

namespace FlyIo.Launch.Standalone;

/// <summary>What the image itself says about the port: its first EXPOSE, or a numeric ENV PORT.</summary>
internal static class DockerfilePorts
{
    public static PortFinding? Exposed(DockerStage stage, string dockerfileName) =>
        stage.ExposedPorts.Count == 0
            ? null
            : new PortFinding(stage.ExposedPorts[0].Port, $"{dockerfileName}({stage.ExposedPorts[0].Line}): EXPOSE {stage.ExposedPorts[0].Port}");

    /// <summary>True when the running image has PORT in its environment, whatever its value.</summary>
    public static bool SetsPortVariable(DockerStage? stage) => stage is not null && stage.EffectiveEnv.ContainsKey("PORT");

    /// <summary>The ENV that last sets PORT in the final stage's chain, when its value is a port number.</summary>
    public static PortFinding? EnvPort(DockerStage stage, string dockerfileName)
    {
        if (!stage.EffectiveEnv.TryGetValue("PORT", out var value) || !PortLiterals.TryParse(value, out var port))
        {
            return null;
        }

        var line = 0;
        foreach (var chained in stage.Chain)
        {
            foreach (var instruction in chained.Instructions)
            {
                if (instruction.Keyword != "ENV")
                {
                    continue;
                }

                foreach (var pair in Dockerfile.ParseAssignments(instruction.Arguments, allowBare: false))
                {
                    if (pair.Key == "PORT")
                    {
                        line = instruction.Line;
                    }
                }
            }
        }

        return new PortFinding(port, $"{dockerfileName}({line}): ENV PORT={value}");
    }

    /// <summary>How reasons name the Dockerfile: its path relative to the app folder when inside it, else its file name.</summary>
    public static string DisplayName(string folder, Dockerfile dockerfile)
    {
        if (dockerfile.Path is null)
        {
            return "Dockerfile";
        }

        var relative = AppFiles.Relative(folder, dockerfile.Path);
        return relative.StartsWith("../", StringComparison.Ordinal) ? Path.GetFileName(dockerfile.Path) : relative;
    }
}
