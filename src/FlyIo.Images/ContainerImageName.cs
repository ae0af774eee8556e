using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using FlyIo.Diagnostics;

namespace FlyIo.Images;

/// <summary>The .NET SDK's container naming properties, as the project and command line set them (empty when unset).</summary>
public sealed class ContainerNaming
{
    /// <summary>FlyImage: a whole reference; when set, nothing else below is read.</summary>
    public string? FlyImage { get; init; }

    /// <summary>FlyRegistry, only when the project or command line set it (not the registry.fly.io default).</summary>
    public string? FlyRegistry { get; init; }

    public string? ContainerRegistry { get; init; }

    public string? ContainerRepository { get; init; }

    public string? ContainerImageTag { get; init; }

    public string? ContainerImageTags { get; init; }
}

/// <summary>
/// The references the image is pushed as, from the names the .NET SDK's container support defines
/// (ContainerRegistry, ContainerRepository, ContainerImageTag, ContainerImageTags) with Fly's defaults where they are
/// unset: registry.fly.io, the app's repository, and flyctl's <c>deployment-ULID</c> tag. The first reference is the
/// one deployed; every builder tags and pushes all of them.
/// </summary>
public static class ContainerImageName
{
    // Docker's tag grammar (distribution/reference): a word character, then up to 127 of [\w.-].
    private static readonly Regex Tag = new(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}$", RegexOptions.CultureInvariant);

    /// <param name="projectFile">Where a problem is reported: at the line setting the property when it is in this file.</param>
    public static IReadOnlyList<string> Resolve(ContainerNaming naming, string app, string? projectFile, List<FlyDiagnostic> problems, string? ulid = null)
    {
        if (Blank(naming.FlyImage) is { } image)
        {
            return new[] { image };
        }

        // FlyRegistry names Fly's push destination explicitly; ContainerRegistry is the .NET SDK's name for the same thing.
        var registry = (Blank(naming.FlyRegistry) ?? Blank(naming.ContainerRegistry) ?? ImageTags.FlyRegistry).TrimEnd('/');
        var appRepository = app.Trim().ToLowerInvariant();
        var repository = Blank(naming.ContainerRepository);
        if (repository is not null && string.Equals(registry, ImageTags.FlyRegistry, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(repository, appRepository, StringComparison.OrdinalIgnoreCase))
        {
            var (line, column) = PropertyLine(projectFile, "ContainerRepository");
            problems.Add(FlyCodes.ContainerRepositoryNotApp.Create(
                $"ContainerRepository is '{repository}', but registry.fly.io keeps an app's images in the repository named after the app, " +
                $"and a deploy token may push only there: remove ContainerRepository, set it to '{appRepository}', or push elsewhere with FlyRegistry.",
                projectFile, line, column));
            return Array.Empty<string>();
        }

        repository ??= appRepository;
        var single = Blank(naming.ContainerImageTag);
        var many = Blank(naming.ContainerImageTags);
        if (single is not null && many is not null)
        {
            var (line, column) = PropertyLine(projectFile, "ContainerImageTags");
            problems.Add(FlyCodes.ContainerTagsInvalid.Create(
                $"Both ContainerImageTag ('{single}') and ContainerImageTags ('{many}') are set; set one, as the .NET SDK requires, so the deployed tag is not a guess.",
                projectFile, line, column));
            return Array.Empty<string>();
        }

        var tags = many is not null
            ? many.Split(';').Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList()
            : new List<string> { single ?? ImageTags.DeploymentTag(ulid) };
        var bad = tags.Where(t => !Tag.IsMatch(t)).ToList();
        if (bad.Count > 0 || tags.Count == 0)
        {
            var name = many is not null ? "ContainerImageTags" : "ContainerImageTag";
            var (line, column) = PropertyLine(projectFile, name);
            problems.Add(FlyCodes.ContainerTagsInvalid.Create(
                $"{name} '{many ?? single}' has no valid tag{(bad.Count > 0 ? " ('" + string.Join("', '", bad) + "' is not one)" : "")}: a tag is a letter, digit or '_' followed by up to 127 letters, digits, '_', '.' or '-'.",
                projectFile, line, column));
            return Array.Empty<string>();
        }

        return tags.Select(t => registry + "/" + repository + ":" + t).ToList();
    }

    /// <summary>The line and column of the first <c>&lt;Name&gt;</c> element in the project file; (0, 0) when it is not there (a -p: or an import).</summary>
    public static (int Line, int Column) PropertyLine(string? projectFile, string name)
    {
        if (projectFile is null || !File.Exists(projectFile))
        {
            return (0, 0);
        }

        var lines = File.ReadAllLines(projectFile);
        for (var i = 0; i < lines.Length; i++)
        {
            var at = lines[i].IndexOf("<" + name + ">", StringComparison.Ordinal);
            if (at < 0)
            {
                at = lines[i].IndexOf("<" + name + " ", StringComparison.Ordinal);
            }

            if (at >= 0)
            {
                return (i + 1, at + 1);
            }
        }

        return (0, 0);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
}
