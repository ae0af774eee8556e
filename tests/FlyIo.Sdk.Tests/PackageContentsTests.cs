using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>The package holds exactly what an MSBuild SDK needs, task dependencies bundled, nothing else.</summary>
[TestFixture]
public sealed class PackageContentsTests
{
    private static readonly string[] TaskFiles =
    {
        "FlyIo.AppModel.dll",
        "FlyIo.Dependencies.dll",
        "FlyIo.Deploy.dll",
        "FlyIo.Diagnostics.dll",
        "FlyIo.FlyToml.dll",
        "FlyIo.Images.dll",
        "FlyIo.Json.dll",
        "FlyIo.Launch.dll",
        "FlyIo.Machines.dll",
        "FlyIo.Release.dll",
        "FlyIo.Sdk.Tasks.dll",
        "FlyIo.Toml.dll",
    };

    /// <summary>Third-party libraries bundled beside the task assembly for dotnet build (.NET): the libraries alone.</summary>
    private static readonly string[] BundledNet8 = { "CliWrap.dll", "Tomlyn.dll" };

    /// <summary>
    /// The same for Visual Studio's MSBuild (.NET Framework): CliWrap's netstandard2.0 build also references
    /// System.Memory, System.Buffers, System.Threading.Tasks.Extensions and Microsoft.Bcl.AsyncInterfaces, which that
    /// MSBuild ships and binds (nuget/TaskFolderNet472.props), and System.Management, which is .NET Framework's;
    /// Tomlyn's references System.Text.Json, System.Collections.Immutable, System.Memory, System.Buffers and
    /// System.Runtime.CompilerServices.Unsafe, kept out by the same rule.
    /// </summary>
    private static readonly string[] BundledNet472 = { "CliWrap.dll", "Tomlyn.dll" };

    [Test]
    public void PackageHoldsExactlyTheExpectedFiles()
    {
        var expected = new[]
            {
                "[Content_Types].xml",
                "_rels/.rels",
                "FlyIo.Sdk.nuspec",
                "README.md",
                "icon.png",
                "Sdk/Sdk.props",
                "Sdk/Sdk.targets",
                "Sdk/Solution.targets",
                "build/FlyIo.Sdk.Deploy.targets",
                "build/FlyIo.Sdk.Image.targets",
                "build/FlyIo.Sdk.Launch.targets",
                "build/FlyIo.Sdk.ProjectGraph.targets",
                "build/FlyIo.Sdk.props",
                "build/FlyIo.Sdk.Solution.targets",
                "build/FlyIo.Sdk.Standalone.targets",
                "build/FlyIo.Sdk.targets",
                "package/services/metadata/core-properties/<id>.psmdcp",
                "runtime/FlyDatabaseUrl.cs",
                "runtime/Migrations/FlyMigrations.cs",
            }
            .Concat(TaskFiles.Concat(BundledNet8).Select(f => "tasks/net8.0/" + f))
            .Concat(TaskFiles.Concat(BundledNet472).Select(f => "tasks/net472/" + f))
            .OrderBy(f => f, System.StringComparer.Ordinal);

        using var package = ZipFile.OpenRead(PackagedSdk.PackagePath);
        var actual = package.Entries
            .Select(e => Regex.Replace(e.FullName, @"core-properties/[^/]+\.psmdcp$", "core-properties/<id>.psmdcp"))
            .OrderBy(f => f, System.StringComparer.Ordinal);

        Assert.That(actual, Is.EqualTo(expected));
    }

    [Test]
    public void NuspecDeclaresAnMSBuildSdkWithNoDependencies()
    {
        using var package = ZipFile.OpenRead(PackagedSdk.PackagePath);
        using var reader = new System.IO.StreamReader(package.GetEntry("FlyIo.Sdk.nuspec")!.Open());
        var nuspec = reader.ReadToEnd();

        Assert.That(nuspec, Does.Contain("<packageType name=\"MSBuildSdk\" />"));
        Assert.That(nuspec, Does.Not.Contain("<dependency "), "an SDK package brings its dependencies inside tasks/");
        Assert.That(nuspec, Does.Contain($"<version>{PackagedSdk.Version}</version>"));
    }

    [Test]
    public void Net472_references_resolve_to_the_folder_to_what_MSBuild_binds_or_to_the_framework()
    {
        var bound = BoundByMSBuild();
        var folder = Assemblies("tasks/net472/");
        var problems = new List<string>();
        foreach (var (file, assembly) in folder)
        {
            Assert.That(bound.ContainsKey(assembly.Name), Is.False, file + " is one MSBuild provides: it must not be bundled");
            foreach (var reference in assembly.References)
            {
                var what = $"{file} references {reference.Name} {reference.Version}";
                if (folder.Values.FirstOrDefault(a => a.Name == reference.Name) is { } bundled)
                {
                    // No binding redirect reaches the task folder: .NET Framework needs the very version referenced.
                    if (bundled.Version != reference.Version)
                    {
                        problems.Add($"{what}, but the folder holds {bundled.Version}");
                    }
                }
                else if (bound.TryGetValue(reference.Name, out var upTo))
                {
                    if (reference.Version > upTo)
                    {
                        problems.Add($"{what}, above the {upTo} that the oldest supported MSBuild binds (nuget/TaskFolderNet472.props)");
                    }
                }
                else if (!IsNetFramework(reference))
                {
                    problems.Add($"{what}: neither bundled, nor bound by MSBuild, nor part of .NET Framework");
                }
            }
        }

        Assert.That(problems, Is.Empty);
        Assert.That(Unreferenced(folder), Is.Empty, "bundled but referenced by nothing in tasks/net472");
    }

    [Test]
    public void Net8_references_resolve_to_the_folder_to_MSBuild_or_to_the_shared_framework()
    {
        var folder = Assemblies("tasks/net8.0/");
        var runtime = RuntimeEnvironment.GetRuntimeDirectory();
        var problems = new List<string>();
        foreach (var (file, assembly) in folder)
        {
            foreach (var reference in assembly.References)
            {
                // MSBuild's own API is MSBuild's; the shared framework this test runs on holds net8.0's and more.
                if (folder.Values.Any(a => a.Name == reference.Name && a.Version >= reference.Version)
                    || reference.Name.StartsWith("Microsoft.Build", StringComparison.Ordinal)
                    || File.Exists(Path.Combine(runtime, reference.Name + ".dll")))
                {
                    continue;
                }

                problems.Add($"{file} references {reference.Name} {reference.Version}: neither bundled, nor MSBuild's, nor in the shared framework");
            }
        }

        Assert.That(problems, Is.Empty);
        Assert.That(Unreferenced(folder), Is.Empty, "bundled but referenced by nothing in tasks/net8.0");
    }

    private sealed record AssemblyFacts(string Name, Version Version, byte[] PublicKeyToken, IReadOnlyList<AssemblyFacts> References);

    private static Dictionary<string, AssemblyFacts> Assemblies(string prefix)
    {
        using var package = ZipFile.OpenRead(PackagedSdk.PackagePath);
        var result = new Dictionary<string, AssemblyFacts>(StringComparer.Ordinal);
        foreach (var entry in package.Entries.Where(e => e.FullName.StartsWith(prefix, StringComparison.Ordinal) && e.FullName.EndsWith(".dll", StringComparison.Ordinal)))
        {
            using var memory = new MemoryStream();
            using (var stream = entry.Open())
            {
                stream.CopyTo(memory);
            }

            memory.Position = 0;
            using var pe = new PEReader(memory);
            var md = pe.GetMetadataReader();
            var definition = md.GetAssemblyDefinition();
            var references = md.AssemblyReferences.Select(h => md.GetAssemblyReference(h))
                .Select(r => new AssemblyFacts(md.GetString(r.Name), r.Version, md.GetBlobBytes(r.PublicKeyOrToken), Array.Empty<AssemblyFacts>()))
                .ToList();
            result[entry.Name] = new AssemblyFacts(md.GetString(definition.Name), definition.Version, Array.Empty<byte>(), references);
        }

        return result;
    }

    /// <summary>Bundled files no other bundled file references (the task assembly itself is what MSBuild loads).</summary>
    private static IEnumerable<string> Unreferenced(Dictionary<string, AssemblyFacts> folder) =>
        folder.Where(f => f.Key != "FlyIo.Sdk.Tasks.dll" && !folder.Values.Any(a => a.References.Any(r => r.Name == f.Value.Name)))
            .Select(f => f.Key);

    /// <summary>The assemblies Visual Studio's MSBuild provides, with the highest version it binds: one list, which packing uses too.</summary>
    private static Dictionary<string, Version> BoundByMSBuild() =>
        XDocument.Load(Path.Combine(RepoPaths.RepoRoot, "nuget", "TaskFolderNet472.props"))
            .Descendants("_FlyBoundByMSBuild")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => Version.Parse((string)e.Attribute("Version")!), StringComparer.Ordinal);

    /// <summary>
    /// .NET Framework's own assemblies: signed with its keys (the ECMA, Microsoft and Microsoft-shared keys), or the
    /// netstandard facade that .NET Framework 4.7.2 carries. Out-of-band packages (System.Memory, System.Text.Json, ...)
    /// use another key, so they never pass as framework.
    /// </summary>
    private static bool IsNetFramework(AssemblyFacts reference)
    {
        var token = Convert.ToHexString(reference.PublicKeyToken).ToLowerInvariant();
        return reference.Name is "mscorlib" or "netstandard" || token is "b77a5c561934e089" or "b03f5f7f11d50a3a" or "31bf3856ad364e35";
    }
}
