using System;
using FlyIo.Diagnostics;
using FlyIo.Toml.Lexing;

namespace FlyIo.Toml;

/// <summary>
/// The four RFC 3339-based TOML 1.0 date-time forms, with calendar range checks. Kept beside Tomlyn: its date-time
/// grammar is TOML 1.1's (seconds optional), it refuses more than seven fractional digits, and its value type does
/// not carry the four TOML kinds with their exact fields.
/// </summary>
internal static class DateTimeParser
{
    /// <summary>Whether <paramref name="raw"/> is a TOML 1.0 date-time, for text Tomlyn's reader refused.</summary>
    public static bool Accepts(SourceText source, string raw)
    {
        try
        {
            Parse(source, raw, 0);
            return true;
        }
        catch (TomlParseException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="raw"/> is exactly a full date, so a following space may start the time.</summary>
    public static bool IsDateOnly(string raw) => raw.Length == 10 && Digits(raw, 0, 4) && raw[4] == '-' && Digits(raw, 5, 2) && raw[7] == '-' && Digits(raw, 8, 2);

    public static TomlDateTime Parse(SourceText source, string raw, int offset)
    {
        int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
        string? fraction = null;
        TimeSpan? utcOffset = null;
        var i = 0;
        var hasDate = false;
        var hasTime = false;

        if (raw.Length >= 10 && raw[4] == '-')
        {
            if (!IsDateOnly(raw.Substring(0, 10)))
            {
                Invalid(source, raw, offset);
            }

            year = Number(raw, 0, 4);
            month = Number(raw, 5, 2);
            day = Number(raw, 8, 2);
            if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month))
            {
                source.Fail(FlyCodes.TomlInvalidDateTime, $"'{raw}' is not a calendar date", offset);
            }

            hasDate = true;
            i = 10;
            if (i < raw.Length)
            {
                var sep = raw[i];
                if (sep != 'T' && sep != 't' && sep != ' ')
                {
                    Invalid(source, raw, offset);
                }

                i++;
                if (i == raw.Length)
                {
                    Invalid(source, raw, offset);
                }
            }
        }

        if (i < raw.Length || !hasDate)
        {
            i = ParseTime(source, raw, i, offset, ref hour, ref minute, ref second, ref fraction);
            hasTime = true;
            if (hasDate && i < raw.Length)
            {
                i = ParseOffset(source, raw, i, offset, out var parsed);
                utcOffset = parsed;
            }
        }

        if (i != raw.Length)
        {
            Invalid(source, raw, offset);
        }

        var kind = !hasDate ? TomlValueKind.LocalTime
            : !hasTime ? TomlValueKind.LocalDate
            : utcOffset is null ? TomlValueKind.LocalDateTime
            : TomlValueKind.OffsetDateTime;
        return new TomlDateTime(kind, year, month, day, hour, minute, second, fraction, utcOffset, raw, source.GetPosition(offset));
    }

    private static int ParseTime(SourceText source, string raw, int i, int offset, ref int hour, ref int minute, ref int second, ref string? fraction)
    {
        // TOML 1.0 requires seconds: HH:MM:SS.
        if (raw.Length < i + 8 || !Digits(raw, i, 2) || raw[i + 2] != ':' || !Digits(raw, i + 3, 2) || raw[i + 5] != ':' || !Digits(raw, i + 6, 2))
        {
            Invalid(source, raw, offset);
        }

        hour = Number(raw, i, 2);
        minute = Number(raw, i + 3, 2);
        second = Number(raw, i + 6, 2);
        if (hour > 23 || minute > 59 || second > 60)
        {
            source.Fail(FlyCodes.TomlInvalidDateTime, $"'{raw}' has a time out of range", offset);
        }

        i += 8;
        if (i < raw.Length && raw[i] == '.')
        {
            var start = ++i;
            while (i < raw.Length && CharClass.IsDigit(raw[i]))
            {
                i++;
            }

            if (i == start)
            {
                Invalid(source, raw, offset);
            }

            fraction = raw.Substring(start, i - start);
        }

        return i;
    }

    private static int ParseOffset(SourceText source, string raw, int i, int offset, out TimeSpan value)
    {
        var c = raw[i];
        if (c == 'Z' || c == 'z')
        {
            value = TimeSpan.Zero;
            return i + 1;
        }

        if ((c != '+' && c != '-') || raw.Length < i + 6 || !Digits(raw, i + 1, 2) || raw[i + 3] != ':' || !Digits(raw, i + 4, 2))
        {
            Invalid(source, raw, offset);
        }

        var hours = Number(raw, i + 1, 2);
        var minutes = Number(raw, i + 4, 2);
        if (hours > 23 || minutes > 59)
        {
            source.Fail(FlyCodes.TomlInvalidDateTime, $"'{raw}' has a UTC offset out of range", offset);
        }

        var span = new TimeSpan(hours, minutes, 0);
        value = c == '-' ? span.Negate() : span;
        return i + 6;
    }

    private static int DaysInMonth(int year, int month)
    {
        if (month == 2)
        {
            return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28;
        }

        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    private static bool Digits(string s, int start, int count)
    {
        if (start + count > s.Length)
        {
            return false;
        }

        for (var k = start; k < start + count; k++)
        {
            if (!CharClass.IsDigit(s[k]))
            {
                return false;
            }
        }

        return true;
    }

    private static int Number(string s, int start, int count)
    {
        var value = 0;
        for (var k = start; k < start + count; k++)
        {
            value = value * 10 + (s[k] - '0');
        }

        return value;
    }

    private static void Invalid(SourceText source, string raw, int offset) =>
        source.Fail(FlyCodes.TomlInvalidDateTime, $"'{raw}' is not a valid date, time or date-time", offset);
}
