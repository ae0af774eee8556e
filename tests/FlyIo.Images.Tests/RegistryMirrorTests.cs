using System.Threading.Tasks;
using System.Collections.Generic;
using System.Linq;
using FlyIo.Diagnostics;
using FlyIo.Toml;
using NUnit.Framework;

namespace FlyIo.Images.Tests;

[TestFixture]
public class RegistryMirrorTests
{
    [Test]
    public void Entries_parse_with_DockerHubs_other_names_as_docker_io_and_the_first_mirror_of_a_registry_winning()
    {
        var diagnostics = new List<FlyDiagnostic>();

        var mirrors = RegistryMirrors.Parse(
            new[] { " docker.io=127.0.0.1:55000/ ", "", "ghcr.io=mirror.example.com/ghcr", "index.docker.io=other.example.com" },
            diagnostics);

        Assert.That(diagnostics, Is.Empty);
        Assert.That(mirrors.Select(m => m.ToString()), Is.EqualTo(new[] { "docker.io=127.0.0.1:55000", "ghcr.io=mirror.example.com/ghcr" }));
        Assert.That(mirrors[1].MirrorHost, Is.EqualTo("mirror.example.com"));
    }

    [TestCase("docker.io")]
    [TestCase("=127.0.0.1:55000")]
    [TestCase("docker.io=")]
    [TestCase("docker.io=https://mirror.example.com")]
    [TestCase("docker.io/library=127.0.0.1:55000")]
    [TestCase("docker.io=mirror\"quoted")]
    public void A_malformed_entry_is_FLY3036_and_left_out(string entry)
    {
        var diagnostics = new List<FlyDiagnostic>();

        var mirrors = RegistryMirrors.Parse(new[] { entry, "ghcr.io=127.0.0.1:55000" }, diagnostics, "app.proj");

        Assert.That(diagnostics.Select(d => (d.Code, d.Severity, d.File)), Is.EqualTo(new[] { ("FLY3036", DiagnosticSeverity.Error, (string?)"app.proj") }));
        Assert.That(diagnostics[0].Message, Does.Contain("'" + entry.Trim() + "'"));
        Assert.That(mirrors.Select(m => m.Registry), Is.EqualTo(new[] { "ghcr.io" }));
    }

    [Test]
    public void RegistriesConf_is_version_2_toml_with_one_mirrored_registry_per_entry_and_docker_hub_for_short_names()
    {
        var mirrors = new[] { new RegistryMirror("docker.io", "127.0.0.1:55000"), new RegistryMirror("ghcr.io", "mirror.example.com/ghcr") };

        var text = RegistryMirrors.RegistriesConf(mirrors, host => host.StartsWith("127."));

        var root = TomlParser.Parse(text).Root;
        Assert.That(((TomlArray)root.GetEntry("unqualified-search-registries")!.Value).Select(v => v.ToString()), Is.EqualTo(new[] { "docker.io" }));
        var registries = ((TomlArray)root.GetEntry("registry")!.Value).Cast<TomlTable>().ToList();
        Assert.That(registries.Select(r => (r.GetEntry("prefix")!.Value.ToString(), r.GetEntry("location")!.Value.ToString())),
            Is.EqualTo(new[] { ("docker.io", "docker.io"), ("ghcr.io", "ghcr.io") }));
        var first = ((TomlArray)registries[0].GetEntry("mirror")!.Value).Cast<TomlTable>().Single();
        Assert.That(first.GetEntry("location")!.Value.ToString(), Is.EqualTo("127.0.0.1:55000"));
        Assert.That(first.GetEntry("insecure")!.Value.ToString(), Is.EqualTo("true").IgnoreCase);
        var second = ((TomlArray)registries[1].GetEntry("mirror")!.Value).Cast<TomlTable>().Single();
        Assert.That(second.GetEntry("location")!.Value.ToString(), Is.EqualTo("mirror.example.com/ghcr"));
        Assert.That(second.GetEntry("insecure"), Is.Null, "a TLS mirror keeps TLS verification");
    }

    [Test]
    public async Task The_sdk_builder_warns_FLY3037_that_it_uses_no_mirror()
    {
        // The sdk builder reads no Dockerfile, so a mirror cannot apply: the user is told instead of left guessing.
        var dir = System.IO.Directory.CreateTempSubdirectory("flyio-mirror-sdk-").FullName;
        try
        {
            var project = System.IO.Path.Combine(dir, "App.proj");
            System.IO.File.WriteAllText(project, "<Project><Target Name=\"PublishContainer\" /></Project>\n");
            var request = new ImageBuildRequest(dir, System.IO.Path.Combine(dir, "Dockerfile"), "127.0.0.1:1/app:test")
            {
                ProjectPath = project,
                Push = false,
                RegistryMirrors = new[] { new RegistryMirror("docker.io", "127.0.0.1:55000") },
            };

            var result = await ImageBuilder.BuildAndPushAsync(request, ImageBuilderKind.Sdk);

            var warning = result.Diagnostics.Single(d => d.Code == "FLY3037");
            Assert.That(warning.Severity, Is.EqualTo(DiagnosticSeverity.Warning));
            Assert.That(warning.Message, Does.Contain("docker.io=127.0.0.1:55000").And.Contain("FlyBaseImageRegistry"));
            Assert.That(warning.File, Is.EqualTo(project));
        }
        finally
        {
            System.IO.Directory.Delete(dir, true);
        }
    }
}
