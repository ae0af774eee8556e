using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using FlyIo.Deploy;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// The deploy as a markdown table, appended to the file GitHub Actions names in GITHUB_STEP_SUMMARY, so the run's
/// summary page shows the release, URL, image and machines. Nothing else reads the variable; without it, nothing is
/// written. The table holds no secret: names, counts, the image reference and the URL.
/// </summary>
internal static class StepSummary
{
    public const string Variable = "GITHUB_STEP_SUMMARY";

    /// <summary>Appends the summary when the variable names a file; the path written, or null.</summary>
    public static string? Append(DeployResult r, TimeSpan elapsed)
    {
        var path = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        var text = new StringBuilder()
            .Append("### Fly.io: ").Append(Cell(r.App)).Append(" release v").Append(r.ReleaseVersion.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append('\n')
            .Append("| | |\n|---|---|\n")
            .Append("| URL | ").Append(Cell(r.Url)).Append(" |\n")
            .Append("| Image | `").Append(Cell(r.Image)).Append("` |\n")
            .Append("| Strategy | ").Append(Cell(r.Strategy)).Append(" |\n")
            .Append("| Machines | ").Append(r.Created.Count.ToString(CultureInfo.InvariantCulture)).Append(" created, ")
            .Append(r.Updated.Count.ToString(CultureInfo.InvariantCulture)).Append(" updated, ")
            .Append(r.Destroyed.Count.ToString(CultureInfo.InvariantCulture)).Append(" destroyed; ")
            .Append(r.Machines.Count.ToString(CultureInfo.InvariantCulture)).Append(" in the app |\n");
        if (r.ReleaseCommandExitCode is int code)
        {
            text.Append("| Release command | exit code ").Append(code.ToString(CultureInfo.InvariantCulture)).Append(" |\n");
        }

        text.Append("| Time | ").Append(elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)).Append(" s (")
            .Append(string.Join(", ", r.Phases.Select(p => $"{p.Phase} {p.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s"))).Append(") |\n\n");
        File.AppendAllText(path, text.ToString(), new UTF8Encoding(false));
        return path;
    }

    /// <summary>A table cell: a pipe or a line break would end the cell or the row.</summary>
    private static string Cell(string? value) => (value ?? "").Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ");
}
