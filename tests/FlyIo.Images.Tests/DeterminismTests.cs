using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using NUnit.Framework;

namespace FlyIo.Images.Tests;

/// <summary>The same inputs give the same bytes: twice, under other cultures, from CRLF files and from a core.autocrlf=true clone.</summary>
[TestFixture]
public class DeterminismTests
{
    private static (byte[] Dockerfile, byte[] Ignore) GenerateBytes(string root)
    {
        File.WriteAllBytes(Path.Combine(root, "src", "Api", "entrypoint.sh"), File.Exists(Path.Combine(root, "src", "Api", "entrypoint.sh"))
            ? File.ReadAllBytes(Path.Combine(root, "src", "Api", "entrypoint.sh"))
            : Encoding.ASCII.GetBytes("#!/bin/sh\nexec dotnet Api.dll \"$@\"\n"));
        var app = Samples.MultiProject(root);
        var generated = DockerfileGenerator.Generate(new DockerfileInputs(app) { TargetFrameworks = "net8.0;net10.0", VmMemoryMb = 256, NuGetCacheMount = true });
        var dockerfile = Path.Combine(root, "src", "Api", "Dockerfile");
        var result = DockerfileWriter.Write(generated, dockerfile, Path.Combine(root, ".dockerignore"));
        Assert.That(result.Diagnostics, Is.Empty);
        return (File.ReadAllBytes(dockerfile), File.ReadAllBytes(Path.Combine(root, ".dockerignore")));
    }

    private static void AssertLfWithoutBom(byte[] bytes)
    {
        Assert.That(bytes, Does.Not.Contain((byte)'\r'));
        Assert.That(bytes.Take(3).ToArray(), Is.Not.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }));
        Assert.That(bytes[bytes.Length - 1], Is.EqualTo((byte)'\n'));
    }

    [Test]
    public void Twice_and_under_other_cultures_the_bytes_are_identical()
    {
        var a = Samples.Copy("MultiProject");
        var b = Samples.Copy("MultiProject");
        var culture = CultureInfo.CurrentCulture;
        try
        {
            var first = GenerateBytes(a);
            CultureInfo.CurrentCulture = new CultureInfo("tr-TR");
            CultureInfo.CurrentUICulture = new CultureInfo("ar-SA");
            var second = GenerateBytes(b);
            Assert.That(second.Dockerfile, Is.EqualTo(first.Dockerfile));
            Assert.That(second.Ignore, Is.EqualTo(first.Ignore));
            AssertLfWithoutBom(first.Dockerfile);
            AssertLfWithoutBom(first.Ignore);
            Assert.That(Encoding.UTF8.GetString(first.Dockerfile), Does.Contain("ENV DOTNET_GCHeapHardLimit=0xC000000"));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            Samples.TryDelete(a);
            Samples.TryDelete(b);
        }
    }

    [Test]
    public void Crlf_inputs_give_the_same_bytes()
    {
        var lf = Samples.Copy("MultiProject");
        var crlf = Samples.Copy("MultiProject");
        try
        {
            var expected = GenerateBytes(lf);
            File.WriteAllBytes(Path.Combine(crlf, "src", "Api", "entrypoint.sh"), Encoding.ASCII.GetBytes("#!/bin/sh\r\nexec dotnet Api.dll \"$@\"\r\n"));
            var converted = 0;
            foreach (var file in Directory.GetFiles(crlf, "*", SearchOption.AllDirectories))
            {
                var text = File.ReadAllText(file);
                if (!text.Contains('\r'))
                {
                    File.WriteAllText(file, text.Replace("\n", "\r\n"));
                    converted++;
                }
            }

            Assert.That(converted, Is.EqualTo(7));
            var actual = GenerateBytes(crlf);
            Assert.That(actual.Dockerfile, Is.EqualTo(expected.Dockerfile));
            Assert.That(actual.Ignore, Is.EqualTo(expected.Ignore));
        }
        finally
        {
            Samples.TryDelete(lf);
            Samples.TryDelete(crlf);
        }
    }

    [Test]
    public void A_core_autocrlf_clone_gives_the_same_bytes()
    {
        if (ImageBuilder.FindOnPath("git") is null)
        {
            Assert.Ignore("git is not installed");
        }

        var source = Samples.Copy("MultiProject");
        var clone = Path.Combine(Path.GetTempPath(), "flyio-images-clone-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        try
        {
            File.WriteAllText(Path.Combine(source, "src", "Api", "entrypoint.sh"), "#!/bin/sh\nexec dotnet Api.dll \"$@\"\n");
            var expected = GenerateBytes(source);
            File.Delete(Path.Combine(source, "src", "Api", "Dockerfile"));
            File.Delete(Path.Combine(source, ".dockerignore"));
            Git(source, "init", "-q");
            Git(source, "-c", "core.autocrlf=false", "add", "-A");
            Git(source, "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "core.autocrlf=false", "commit", "-q", "-m", "sample");
            Git(Path.GetTempPath(), "-c", "core.autocrlf=true", "clone", "-q", source, clone);
            var csproj = File.ReadAllBytes(Path.Combine(clone, "src", "Api", "Api.csproj"));
            Assert.That(csproj, Does.Contain((byte)'\r'), "the autocrlf clone should have CRLF files");

            var actual = GenerateBytes(clone);
            Assert.That(actual.Dockerfile, Is.EqualTo(expected.Dockerfile));
            Assert.That(actual.Ignore, Is.EqualTo(expected.Ignore));
            AssertLfWithoutBom(actual.Dockerfile);
        }
        finally
        {
            Samples.TryDelete(source);
            Samples.TryDelete(clone);
        }
    }

    private static void Git(string dir, params string[] args)
    {
        var result = ProcessRunner.RunAsync(new ProcessSpec("git", args) { WorkingDirectory = dir, Environment = new System.Collections.Generic.Dictionary<string, string?> { ["GIT_CONFIG_NOSYSTEM"] = "1", ["HOME"] = Path.GetTempPath() } }).GetAwaiter().GetResult();
        Assert.That(result.ExitCode, Is.EqualTo(0), "git " + string.Join(" ", args) + "\n" + result.Output);
    }
}

/// <summary>Where the Dockerfile cannot be written, a coded error at its path, never an exception.</summary>
[TestFixture]
public class DockerfileWriteFailureTests
{
    [Test]
    public void A_directory_where_the_Dockerfile_goes_is_FLY3013()
    {
        var root = Samples.Copy("MultiProject");
        try
        {
            var app = Samples.MultiProject(root);
            var generated = DockerfileGenerator.Generate(new DockerfileInputs(app) { TargetFrameworks = "net10.0" });
            var dockerfile = Path.Combine(root, "src", "Api", "Dockerfile");
            if (File.Exists(dockerfile)) File.Delete(dockerfile);
            Directory.CreateDirectory(dockerfile);

            var result = DockerfileWriter.Write(generated, dockerfile, Path.Combine(root, ".dockerignore"));

            var error = result.Diagnostics.Single(d => d.Code == "FLY3013");
            Assert.That((error.File, error.Severity), Is.EqualTo((dockerfile, FlyIo.Diagnostics.DiagnosticSeverity.Error)));
            Assert.That(error.Message, Does.Contain("is a directory"));
        }
        finally
        {
            Samples.TryDelete(root);
        }
    }
}
