using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace FlyIo.FlyToml.Project;

/// <summary>One port named by an EXPOSE instruction, with the line it was written on.</summary>
public sealed record ExposedPort(int Port, int Line);

/// <summary>Reads the ports of a Dockerfile's EXPOSE instructions (comments skipped, backslash continuations joined).</summary>
public static class DockerfileExpose
{
    public static IReadOnlyList<ExposedPort> Read(string dockerfileText)
    {
        var ports = new List<ExposedPort>();
        var lines = dockerfileText.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var startLine = i + 1;
            var instruction = new StringBuilder();
            var line = lines[i];
            if (line.TrimStart().StartsWith("#", StringComparison.Ordinal))
            {
                continue;
            }

            // A trailing backslash continues the instruction; comment lines inside it are skipped.
            while (line.TrimEnd().EndsWith("\\", StringComparison.Ordinal) && i + 1 < lines.Length)
            {
                var trimmed = line.TrimEnd();
                instruction.Append(trimmed, 0, trimmed.Length - 1).Append(' ');
                i++;
                line = lines[i];
                while (line.TrimStart().StartsWith("#", StringComparison.Ordinal) && i + 1 < lines.Length)
                {
                    i++;
                    line = lines[i];
                }
            }

            instruction.Append(line);
            var words = instruction.ToString().Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2 || !string.Equals(words[0], "EXPOSE", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            for (var w = 1; w < words.Length; w++)
            {
                var portText = words[w].Split('/')[0];
                var range = portText.Split('-');
                if (int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
                {
                    ports.Add(new ExposedPort(port, startLine));
                }
            }
        }

        return ports;
    }

    public static IReadOnlyList<ExposedPort> ReadFile(string path) => Read(File.ReadAllText(path));
}
