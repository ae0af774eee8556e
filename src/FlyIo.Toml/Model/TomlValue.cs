namespace FlyIo.Toml;

public enum TomlValueKind
{
    String,
    Integer,
    Float,
    Boolean,
    OffsetDateTime,
    LocalDateTime,
    LocalDate,
    LocalTime,
    Array,
    Table,
}

/// <summary>A value read from a TOML document, with the position where its text starts.</summary>
public abstract class TomlValue
{
    protected TomlValue(TomlPosition position) => Position = position;

    public TomlPosition Position { get; }

    public abstract TomlValueKind Kind { get; }
}

public sealed class TomlString : TomlValue
{
    public TomlString(string value, TomlPosition position) : base(position) => Value = value;

    public string Value { get; }

    public override TomlValueKind Kind => TomlValueKind.String;

    public override string ToString() => Value;
}

public sealed class TomlInteger : TomlValue
{
    public TomlInteger(long value, TomlPosition position) : base(position) => Value = value;

    public long Value { get; }

    public override TomlValueKind Kind => TomlValueKind.Integer;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class TomlFloat : TomlValue
{
    public TomlFloat(double value, TomlPosition position) : base(position) => Value = value;

    public double Value { get; }

    public override TomlValueKind Kind => TomlValueKind.Float;

    public override string ToString() => Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class TomlBoolean : TomlValue
{
    public TomlBoolean(bool value, TomlPosition position) : base(position) => Value = value;

    public bool Value { get; }

    public override TomlValueKind Kind => TomlValueKind.Boolean;

    public override string ToString() => Value ? "true" : "false";
}
