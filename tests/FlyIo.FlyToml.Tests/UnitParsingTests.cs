using FlyIo.AppModel;
using FlyIo.Toml;
using System;
using FlyIo.AppModel.Units;
using NUnit.Framework;

namespace FlyIo.FlyToml.Tests;

public class UnitParsingTests
{
    [TestCase("5s", 5)]
    [TestCase("1m30s", 90)]
    [TestCase("500ms", 0.5)]
    [TestCase("1h", 3600)]
    [TestCase("1.5h", 5400)]
    [TestCase("0", 0)]
    [TestCase("1m0s", 60)]
    public void Reads_go_durations(string text, double seconds)
    {
        Assert.That(GoDuration.TryParseSeconds(text, out var actual), Is.True);
        Assert.That(actual, Is.EqualTo(seconds).Within(1e-9));
    }

    [TestCase("-1.5h", -5400)]
    [TestCase("+5s", 5)]
    [TestCase(".5s", 0.5)]
    [TestCase("2562047h", 2562047d * 3600)]
    public void Reads_signed_and_edge_durations_as_go_does(string text, double seconds)
    {
        Assert.That(GoDuration.TryParseSeconds(text, out var actual), Is.True);
        Assert.That(actual, Is.EqualTo(seconds).Within(1e-6));
    }

    [TestCase("5")]
    [TestCase(" 5s")]
    [TestCase("2562048h")]
    [TestCase("-")]
    [TestCase("5 s")]
    [TestCase("five seconds")]
    [TestCase("1d")]
    [TestCase("")]
    public void Rejects_what_go_rejects(string text) => Assert.That(GoDuration.TryParseSeconds(text, out _), Is.False);

    [Test]
    public void Reads_timespans_for_the_api_and_fly_toml()
    {
        Assert.That(GoDuration.TryParse("1m30s"), Is.EqualTo(TimeSpan.FromSeconds(90)));
        Assert.That(GoDuration.TryParse("1500us"), Is.EqualTo(TimeSpan.FromTicks(15_000)));
        Assert.That(GoDuration.TryParse("-2s"), Is.EqualTo(TimeSpan.FromSeconds(-2)));
        Assert.That(GoDuration.TryParse(null), Is.Null);
        Assert.That(GoDuration.TryParse(""), Is.Null);
        Assert.That(GoDuration.TryParse("15"), Is.Null, "a bare number has no unit");
    }

    [TestCase(15_000, "15s")]
    [TestCase(90_000, "1m30s")]
    [TestCase(3_600_000, "1h0m0s")]
    [TestCase(3_661_500, "1h1m1.5s")]
    [TestCase(500, "500ms")]
    [TestCase(1_500, "1.5s")]
    [TestCase(0, "0s")]
    [TestCase(-5_000, "0s")]
    public void Writes_durations_as_go_does_for_the_api(long milliseconds, string expected) =>
        Assert.That(GoDuration.FormatGo(TimeSpan.FromMilliseconds(milliseconds)), Is.EqualTo(expected));

    [TestCase(90_000)]
    [TestCase(3_661_500)]
    [TestCase(250)]
    public void What_is_written_for_the_api_reads_back(long milliseconds)
    {
        var value = TimeSpan.FromMilliseconds(milliseconds);
        Assert.That(GoDuration.TryParse(GoDuration.FormatGo(value)), Is.EqualTo(value));
    }

    [TestCase("512mb", 512)]
    [TestCase("1gb", 1024)]
    [TestCase("1g", 1024)]
    [TestCase("4G", 4096)]
    [TestCase("2048", 2048)]
    public void Memory_is_binary_and_bare_numbers_are_megabytes(string text, double mb)
    {
        Assert.That(SizeParser.TryParseMemoryMegabytes(text, out var actual), Is.True);
        Assert.That(actual, Is.EqualTo(mb).Within(1e-9));
    }

    [TestCase("10gb", 10)]
    [TestCase("15Mb", 0.015)]
    [TestCase("1GB", 1)]
    [TestCase("200", 200)]
    public void Volumes_are_decimal_and_bare_numbers_are_gigabytes(string text, double gb)
    {
        Assert.That(SizeParser.TryParseVolumeGigabytes(text, out var actual), Is.True);
        Assert.That(actual, Is.EqualTo(gb).Within(1e-9));
    }

    [Test]
    public void Unparseable_sizes_are_rejected() => Assert.That(SizeParser.TryParseVolumeGigabytes("unparseable", out _), Is.False);

    [TestCase("size = \"performance-2x\"", 4096)]
    [TestCase("size = \"shared-cpu-4x\"\nmemory = \"2gb\"", 2048)]
    [TestCase("memory = \"2gb\"\nmemory_mb = 512", 512)]
    [TestCase("memory = 768", 768)]
    [TestCase("size = \"huge\"", null)]
    [TestCase("cpus = 2", 256)] // no size: flyctl starts from shared-cpu-1x
    public void Vm_memory_is_memory_mb_then_memory_then_the_preset_as_flyctl_reads_it(string vm, int? megabytes) =>
        Assert.That(FlyVm.From(TomlParser.Parse(vm + "\n").Root).MemoryMb, Is.EqualTo(megabytes));

    [Test]
    public void Presets_give_kind_cpus_and_memory()
    {
        Assert.That(VmSizes.Find("shared-cpu-2x"), Is.EqualTo(new VmSize("shared-cpu-2x", "shared", 2, 512)));
        Assert.That(VmSizes.Find("performance-0x"), Is.Null);
        Assert.That(VmSizes.Find("shared-cpu-3x"), Is.Null, "flyctl knows only its preset table, not a formula");
    }
}
