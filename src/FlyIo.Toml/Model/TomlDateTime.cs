using System;

namespace FlyIo.Toml;

/// <summary>
/// Any of the four TOML date-time forms. Fields that the form does not have are zero; the fraction is kept as
/// written because TOML allows more digits than <see cref="DateTime"/> can hold.
/// </summary>
public sealed class TomlDateTime : TomlValue
{
    private readonly TomlValueKind _kind;

    internal TomlDateTime(TomlValueKind kind, int year, int month, int day, int hour, int minute, int second,
        string? fraction, TimeSpan? offset, string text, TomlPosition position)
        : base(position)
    {
        _kind = kind;
        Year = year;
        Month = month;
        Day = day;
        Hour = hour;
        Minute = minute;
        Second = second;
        Fraction = fraction;
        Offset = offset;
        Text = text;
    }

    public override TomlValueKind Kind => _kind;

    public int Year { get; }
    public int Month { get; }
    public int Day { get; }
    public int Hour { get; }
    public int Minute { get; }
    public int Second { get; }

    /// <summary>Fractional-second digits as written (without the dot), or null.</summary>
    public string? Fraction { get; }

    /// <summary>The UTC offset of an offset date-time (Z is zero); null for the local forms.</summary>
    public TimeSpan? Offset { get; }

    /// <summary>The source text of the value.</summary>
    public string Text { get; }

    public override string ToString() => Text;
}
