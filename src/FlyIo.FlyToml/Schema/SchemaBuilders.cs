namespace FlyIo.FlyToml.Schema;

/// <summary>Short constructors that keep the schema readable as a table of keys.</summary>
internal static class SchemaBuilders
{
    public static KeySpec Key(string name, ValueShape shape) => new(name, shape);

    public static KeySpec Str(string name) => new(name, ValueShape.String);

    public static KeySpec Int(string name) => new(name, ValueShape.Integer);

    public static KeySpec Num(string name) => new(name, ValueShape.Number);

    public static KeySpec Bool(string name) => new(name, ValueShape.Boolean);

    public static KeySpec PortKey(string name) => new KeySpec(name, ValueShape.Port).Range(1, 65535);

    public static KeySpec Duration(string name, DurationUnit unit) => new KeySpec(name, ValueShape.Duration).WithUnit(unit);

    public static KeySpec Table(string name, params KeySpec[] children) => new(name, ValueShape.Table, children);

    public static KeySpec TableArray(string name, params KeySpec[] children) => new(name, ValueShape.TableArray, children);

    public static KeySpec TableArray(string name, System.Collections.Generic.IReadOnlyList<KeySpec> children) =>
        new(name, ValueShape.TableArray, System.Linq.Enumerable.ToArray(children));

    public static KeySpec Named(string name, params KeySpec[] children) => new(name, ValueShape.NamedTables, children);
}
