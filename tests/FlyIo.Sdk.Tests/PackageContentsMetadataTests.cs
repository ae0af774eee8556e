using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// What a package page shows and what a debugger follows: a README whose links work without the repository, the icon,
/// the repository (type, URL, commit), and task assemblies whose embedded PDBs point at that repository.
/// </summary>
[TestFixture]
public sealed class PackageContentsMetadataTests
{
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    [Test]
    public void Packed_readme_links_and_images_are_absolute_or_anchors()
    {
        var original = File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "README.md"));
        Assert.That(LinkTargets(original).Where(IsRelative), Is.Not.Empty, "the repository README has relative links: this test must see them rewritten");

        var packed = Entry("README.md");
        Assert.That(LinkTargets(packed).Where(IsRelative), Is.Empty);
        Assert.That(packed, Does.Not.Contain("\r"), "LF line ends whatever the OS that packed");
        Assert.That(packed, Does.Contain($"{RepositoryUrl()}/blob/{Ref()}/docs/reference.md"));
        Assert.That(LinkTargets(packed).Count(), Is.EqualTo(LinkTargets(original).Count()), "every link kept, none lost or doubled");
    }

    [Test]
    public void Icon_is_a_128_pixel_png_that_the_nuspec_names()
    {
        using var package = ZipFile.OpenRead(PackagedSdk.PackagePath);
        using var memory = new MemoryStream();
        using (var stream = package.GetEntry("icon.png")!.Open())
        {
            stream.CopyTo(memory);
        }

        var png = memory.ToArray();
        Assert.That(png.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
        Assert.That(Encoding.ASCII.GetString(png, 12, 4), Is.EqualTo("IHDR"));
        Assert.That((BigEndian(png, 16), BigEndian(png, 20)), Is.EqualTo((128, 128)));
        Assert.That(Nuspec().Element(Ns("icon"))?.Value, Is.EqualTo("icon.png"));
    }

    [Test]
    public void Nuspec_names_the_repository_its_commit_the_project_and_the_licence()
    {
        var metadata = Nuspec();
        var repository = metadata.Element(Ns("repository"));
        Assert.That(repository, Is.Not.Null);
        Assert.That((string?)repository!.Attribute("type"), Is.EqualTo("git"));
        Assert.That((string?)repository.Attribute("url"), Is.EqualTo(RepositoryUrl()));
        Assert.That(metadata.Element(Ns("projectUrl"))?.Value, Is.EqualTo(RepositoryUrl()));
        Assert.That(metadata.Element(Ns("license"))?.Value, Is.EqualTo("MIT"));
        Assert.That(metadata.Element(Ns("readme"))?.Value, Is.EqualTo("README.md"));

        var commit = (string?)repository.Attribute("commit");
        if (!IsGitClone)
        {
            Assert.That(commit, Is.Null, "outside a git clone there is no commit to name");
            return;
        }

        Assert.That(commit, Does.Match("^[0-9a-f]{40}$"));
        var (exit, output) = ChildProcess.Run("git", new[] { "cat-file", "-e", commit + "^{commit}" }, RepoPaths.RepoRoot, new Dictionary<string, string?>(), TimeSpan.FromMinutes(1));
        Assert.That(exit, Is.EqualTo(0), "the packed commit is one of this repository's: " + output);
    }

    [TestCase("tasks/net8.0/")]
    [TestCase("tasks/net472/")]
    public void Our_assemblies_embed_their_pdb_with_mapped_paths_and_source_link(string folder)
    {
        using var package = ZipFile.OpenRead(PackagedSdk.PackagePath);
        var ours = package.Entries.Where(e => e.FullName.StartsWith(folder + "FlyIo.", StringComparison.Ordinal)).ToList();
        Assert.That(ours, Is.Not.Empty);
        foreach (var entry in ours)
        {
            using var memory = new MemoryStream();
            using (var stream = entry.Open())
            {
                stream.CopyTo(memory);
            }

            memory.Position = 0;
            using var pe = new PEReader(memory);
            var embedded = pe.ReadDebugDirectory().Where(d => d.Type == DebugDirectoryEntryType.EmbeddedPortablePdb).ToList();
            Assert.That(embedded, Has.Count.EqualTo(1), entry.FullName + " embeds its PDB");
            using var provider = pe.ReadEmbeddedPortablePdbDebugDirectoryData(embedded[0]);
            var pdb = provider.GetMetadataReader();

            // Source paths mapped to /_/ (or /_1/ outside a clone, where the NuGet cache is the first root): the PDB
            // does not say where the clone lived (DeterministicSourcePaths).
            var documents = pdb.Documents.Select(d => pdb.GetString(pdb.GetDocument(d).Name)).ToList();
            Assert.That(documents.Where(d => d.Contains("/src/", StringComparison.Ordinal) && !Regex.IsMatch(d, "^/_[0-9]*/")), Is.Empty, entry.FullName);
            Assert.That(documents, Has.Some.StartsWith("/_/src/").Or.Some.StartsWith("/_1/src/"), entry.FullName + ": its own sources are listed");

            if (IsGitClone)
            {
                var sourceLink = pdb.CustomDebugInformation.Select(pdb.GetCustomDebugInformation)
                    .Where(c => pdb.GetGuid(c.Kind) == SourceLinkKind)
                    .Select(c => Encoding.UTF8.GetString(pdb.GetBlobBytes(c.Value)))
                    .SingleOrDefault();
                Assert.That(sourceLink, Is.Not.Null, entry.FullName + " carries a SourceLink map");
                Assert.That(sourceLink, Does.Contain("\"/_/*\"").And.Contains(RawContentPrefix()), entry.FullName);
            }
        }
    }

    /// <summary>Where GitHub serves a file of this repository at a commit, as SourceLink writes it.</summary>
    private static string RawContentPrefix() =>
        RepositoryUrl().Replace("https://github.com/", "https://raw.githubusercontent.com/", StringComparison.Ordinal) + "/";

    private static bool IsGitClone => Directory.Exists(Path.Combine(RepoPaths.RepoRoot, ".git")) || File.Exists(Path.Combine(RepoPaths.RepoRoot, ".git"));

    /// <summary>The commit links point at: the packed one, or the default branch outside a clone.</summary>
    private static string Ref() => (string?)Nuspec().Element(Ns("repository"))?.Attribute("commit") ?? "HEAD";

    /// <summary>The one place the repository URL is written.</summary>
    private static string RepositoryUrl() =>
        XDocument.Load(Path.Combine(RepoPaths.RepoRoot, "Directory.Build.props")).Descendants("RepositoryUrl").Single().Value;

    /// <summary>Inline link and image targets, reference definitions and HTML src/href, outside fenced code.</summary>
    private static IEnumerable<string> LinkTargets(string markdown)
    {
        var fenced = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            if (fenced)
            {
                continue;
            }

            foreach (Match m in Regex.Matches(line, @"\]\(\s*<?([^)\s>]+)"))
            {
                yield return m.Groups[1].Value;
            }

            foreach (Match m in Regex.Matches(line, @"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(\s|$)"))
            {
                yield return m.Groups[1].Value;
            }

            foreach (Match m in Regex.Matches(line, @"\b(?:src|href)\s*=\s*""([^""]+)"))
            {
                yield return m.Groups[1].Value;
            }
        }
    }

    private static bool IsRelative(string target) =>
        !target.StartsWith('#') && !Regex.IsMatch(target, "^[A-Za-z][A-Za-z0-9+.-]*:");

    private static string Entry(string name)
    {
        using var package = ZipFile.OpenRead(PackagedSdk.PackagePath);
        using var reader = new StreamReader(package.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    private static XElement Nuspec()
    {
        var document = XDocument.Parse(Entry("FlyIo.Sdk.nuspec"));
        return document.Root!.Element(document.Root.Name.Namespace + "metadata")!;
    }

    private static XName Ns(string local) => XName.Get(local, Nuspec0Namespace.Value);

    private static readonly Lazy<string> Nuspec0Namespace = new(() => XDocument.Parse(Entry("FlyIo.Sdk.nuspec")).Root!.Name.NamespaceName);

    private static int BigEndian(byte[] bytes, int offset) =>
        (bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];
}
