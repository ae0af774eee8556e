using System;
using System.Text.Json;
using NUnit.Framework;

namespace FlyIo.Toml.Tests;

/// <summary>The suite's comparison judges decoded values, so a reader that gets a value wrong cannot pass it.</summary>
[TestFixture]
public sealed class TaggedJsonTests
{
    private static JsonElement Tagged(string type, string value) =>
        JsonDocument.Parse($"{{\"type\": \"{type}\", \"value\": \"{value}\"}}").RootElement;

    private static readonly TomlPosition At = new(1, 5, 4);

    [Test]
    public void A_date_time_whose_fields_differ_from_its_text_is_caught()
    {
        // Source text right, decoded hour shifted: the text alone would say "equal".
        var shifted = new TomlDateTime(TomlValueKind.OffsetDateTime, 1979, 5, 27, 8, 32, 0, null, TimeSpan.Zero, "1979-05-27T07:32:00Z", At);
        var negated = new TomlDateTime(TomlValueKind.OffsetDateTime, 1979, 5, 27, 0, 32, 0, null, TimeSpan.FromHours(7), "1979-05-27T00:32:00-07:00", At);
        var right = new TomlDateTime(TomlValueKind.OffsetDateTime, 1979, 5, 27, 0, 32, 0, null, TimeSpan.FromHours(-7), "1979-05-27T00:32:00-07:00", At);

        Assert.That(TaggedJson.Compare(Tagged("datetime", "1979-05-27T07:32:00Z"), shifted), Is.Not.Null);
        Assert.That(TaggedJson.Compare(Tagged("datetime", "1979-05-27T07:32:00Z"), negated), Is.Not.Null, "an offset with its sign flipped");
        Assert.That(TaggedJson.Compare(Tagged("datetime", "1979-05-27T07:32:00Z"), right), Is.Null, "the same instant");
    }

    [Test]
    public void Negative_zero_is_not_zero_and_NaN_is_NaN()
    {
        Assert.That(TaggedJson.Compare(Tagged("float", "-0.0"), new TomlFloat(0.0, At)), Is.Not.Null);
        Assert.That(TaggedJson.Compare(Tagged("float", "-0.0"), new TomlFloat(-0.0, At)), Is.Null);
        Assert.That(TaggedJson.Compare(Tagged("float", "nan"), new TomlFloat(double.NaN, At)), Is.Null);
    }

    [TestCase("a = 1e400", double.PositiveInfinity)]
    [TestCase("a = -1e400", double.NegativeInfinity)]
    public void Floats_past_the_range_of_double_are_infinite_never_an_exception(string toml, double expected)
    {
        // .NET Framework's double.Parse throws OverflowException here; the reader catches it (this runtime returns
        // infinity itself, so the test holds the result, not the catch).
        Assert.That(((TomlFloat)TomlParser.Parse(toml).Root.Entries[0].Value).Value, Is.EqualTo(expected));
    }
}
