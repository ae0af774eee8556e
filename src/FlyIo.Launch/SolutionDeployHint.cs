using System;
using System.IO;
using System.Linq;

namespace FlyIo.Launch;

/// <summary>
/// What FlyLaunch tells a project that sits in a solution: `dotnet publish -t:FlyDeploy App.sln` deploys every app of
/// it only once Directory.Solution.targets imports the SDK's Solution.targets (MSBuild reads no package at the
/// solution level). FlyLaunch offers the file and never writes it: it belongs to the solution, not to the project.
/// </summary>
public static class SolutionDeployHint
{
    /// <summary>The file's text: what docs/reference.md#solutions shows.</summary>
    public const string FileText = "<Project>\n  <Import Project=\"Solution.targets\" Sdk=\"FlyIo.Sdk\" />\n</Project>\n";

    /// <summary>
    /// The hint for the nearest folder at or above the project that holds a .sln or .slnx (up to the repository root,
    /// the folder holding .git), or null when there is none or its Directory.Solution.targets already names Solution.targets.
    /// </summary>
    public static string? For(string projectDirectory)
    {
        try
        {
            return Find(projectDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A folder above the project that cannot be read: no hint, and FlyLaunch's own work is unaffected.
            return null;
        }
    }

    private static string? Find(string projectDirectory)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(projectDirectory)); dir is not null; dir = dir.Parent)
        {
            var solutions = dir.GetFiles("*.sln").Concat(dir.GetFiles("*.slnx")).Select(f => f.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
            if (solutions.Count > 0)
            {
                var targets = Path.Combine(dir.FullName, "Directory.Solution.targets");
                if (File.Exists(targets) && File.ReadAllText(targets).IndexOf("Solution.targets\" Sdk=\"FlyIo.Sdk\"", StringComparison.Ordinal) >= 0)
                {
                    return null;
                }

                return $"{string.Join(", ", solutions)} in {dir.FullName}: to deploy every app of it with dotnet publish -t:FlyDeploy {solutions[0]}, " +
                       (File.Exists(targets) ? "add <Import Project=\"Solution.targets\" Sdk=\"FlyIo.Sdk\" /> to its Directory.Solution.targets" : "add a Directory.Solution.targets beside it holding " + FileText.Replace("\n", " ").Trim()) +
                       " (https://github.com/flyio-sdk/FlyIo.Sdk/blob/main/docs/reference.md#solutions).";
            }

            if (Directory.Exists(Path.Combine(dir.FullName, ".git")))
            {
                return null;
            }
        }

        return null;
    }
}
