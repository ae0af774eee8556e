using System;
using System.IO;
using System.Text;
using FlyIo.Toml.Editing;
using NUnit.Framework;

namespace FlyIo.Toml.Tests;

/// <summary>An edit replaces the content and nothing else: links stay links, modes stay, read-only files are refused.</summary>
[TestFixture]
public sealed class AtomicFileTests
{
    private string _dir = "";

    [SetUp]
    public void Folder()
    {
        _dir = Path.Combine(Path.GetTempPath(), "atomic-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void Clean() => Directory.Delete(_dir, recursive: true);

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Test]
    public void Holds_is_true_only_for_a_file_with_exactly_those_bytes()
    {
        var path = Path.Combine(_dir, "Dockerfile");
        Assert.That(AtomicFile.Holds(path, B("")), Is.False, "no file");
        File.WriteAllText(path, "FROM a\n");
        Assert.That(AtomicFile.Holds(path, B("FROM a\n")), Is.True);
        Assert.That(AtomicFile.Holds(path, B("FROM a\n\n")), Is.False, "longer");
        Assert.That(AtomicFile.Holds(path, B("FROM b\n")), Is.False, "same length, other bytes");
        Assert.That(AtomicFile.WriteIfChanged(path, B("FROM a\n")), Is.False, "nothing to write");
    }

    [Test]
    public void A_symlinked_file_has_its_target_rewritten_and_stays_a_link()
    {
        if (OperatingSystem.IsWindows()) Assert.Ignore("symbolic links need privileges on Windows");
        var target = Path.Combine(_dir, "real.toml");
        var link = Path.Combine(_dir, "fly.toml");
        File.WriteAllText(target, "app = \"a\"\n");
        File.CreateSymbolicLink(link, target);

        Assert.That(AtomicFile.WriteIfChanged(link, B("app = \"b\"\n")), Is.True);

        Assert.That(new FileInfo(link).LinkTarget, Is.EqualTo(target), "still a link to the same file");
        Assert.That(File.ReadAllText(target), Is.EqualTo("app = \"b\"\n"));
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_files_mode_carries_over()
    {
        if (OperatingSystem.IsWindows()) Assert.Ignore("Unix modes");
        var path = Path.Combine(_dir, "fly.toml");
        File.WriteAllText(path, "app = \"a\"\n");
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(path, mode);

        AtomicFile.WriteIfChanged(path, B("app = \"b\"\n"));

        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(mode));
    }

    [Test]
    public void The_files_owner_carries_over_when_root_edits_it()
    {
        if (OperatingSystem.IsWindows() || Sh("id -u") != "0") Assert.Ignore("only root can give a file to another user");
        var path = Path.Combine(_dir, "fly.toml");
        File.WriteAllText(path, "app = \"a\"\n");
        Sh($"chown 1234:2345 '{path}'");

        AtomicFile.WriteIfChanged(path, B("app = \"b\"\n"));

        Assert.That(Sh($"stat -c %u:%g '{path}'"), Is.EqualTo("1234:2345"));
    }

    private static string Sh(string command)
    {
        var info = new System.Diagnostics.ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_read_only_file_is_refused_and_left_as_it_was()
    {
        var path = Path.Combine(_dir, "fly.toml");
        File.WriteAllText(path, "app = \"a\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var e = Assert.Throws<UnauthorizedAccessException>(() => AtomicFile.WriteIfChanged(path, B("app = \"b\"\n")))!;

        Assert.That(e.Message, Does.Contain("read-only"));
        Assert.That(File.ReadAllText(path), Is.EqualTo("app = \"a\"\n"));
        Assert.That(Directory.GetFiles(_dir), Has.Length.EqualTo(1), "no temporary file left behind");
    }

    [Test]
    public void A_directory_where_the_file_should_be_is_an_error_that_says_so()
    {
        var path = Path.Combine(_dir, "Dockerfile");
        Directory.CreateDirectory(path);

        var e = Assert.Throws<IOException>(() => AtomicFile.WriteIfChanged(path, B("FROM x\n")))!;

        Assert.That(e.Message, Does.Contain("is a directory"));
    }
}
