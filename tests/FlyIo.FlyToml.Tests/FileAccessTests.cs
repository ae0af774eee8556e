using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using FlyIo.Toml;
using NUnit.Framework;

namespace FlyIo.FlyToml.Tests;

/// <summary>A fly.toml that is not a readable file of a sane size is a coded error, never a hang or a stack trace.</summary>
[TestFixture]
public sealed class FileAccessTests
{
    private string _dir = "";

    [SetUp]
    public void Folder()
    {
        _dir = Path.Combine(Path.GetTempPath(), "flytoml-access-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void Clean() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void A_directory_is_FLY0009_not_not_found()
    {
        var path = Path.Combine(_dir, "fly.toml");
        Directory.CreateDirectory(path);

        var result = FlyTomlValidator.Validate(path, new FlyTomlValidationOptions());

        var error = result.Diagnostics.Single();
        Assert.That((error.Code, error.File), Is.EqualTo(("FLY0009", path)));
        Assert.That(error.Message, Does.Contain("is a directory"));
    }

    [Test]
    public void A_FIFO_is_FLY0009_at_once_instead_of_waiting_for_a_writer()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) Assert.Ignore("named pipes in the file system are Unix's");
        var path = Path.Combine(_dir, "fly.toml");
        using (var mkfifo = Process.Start("mkfifo", new[] { path })!)
        {
            mkfifo.WaitForExit();
        }

        // Bounded: reading a FIFO would wait for a writer forever.
        var validation = System.Threading.Tasks.Task.Run(() => FlyTomlValidator.Validate(path, new FlyTomlValidationOptions()));
        Assert.That(validation.Wait(TimeSpan.FromSeconds(20)), Is.True, "the validator hung on a FIFO");

        var error = validation.Result.Diagnostics.Single();
        Assert.That(error.Code, Is.EqualTo("FLY0009"));
        Assert.That(error.Message, Does.Contain("FIFO"));
    }

    [Test]
    public void A_file_over_a_mebibyte_is_FLY0010_and_not_read()
    {
        var path = Path.Combine(_dir, "fly.toml");
        File.WriteAllText(path, "app = \"a\"\n# " + new string('x', (int)TomlFiles.MaxBytes) + "\n");

        var result = FlyTomlValidator.Validate(path, new FlyTomlValidationOptions());

        Assert.That(result.Diagnostics.Single().Code, Is.EqualTo("FLY0010"));
    }
}
