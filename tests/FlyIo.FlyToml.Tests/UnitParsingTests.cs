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

    [TestCase("5")]
    [TestCase("5 s")]
    [TestCase("five seconds")]
    [TestCase("1d")]
    [TestCase("")]
    public void Rejects_what_go_rejects(string text) => Assert.That(GoDuration.TryParseSeconds(text, out _), Is.False);

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
}
