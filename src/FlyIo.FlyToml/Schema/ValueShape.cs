namespace FlyIo.FlyToml.Schema;

/// <summary>What a key's value must look like. Shapes that carry legacy spellings say so in their comment.</summary>
internal enum ValueShape
{
    String,
    Integer,
    /// <summary>A float or an integer.</summary>
    Number,
    Boolean,
    /// <summary>A Go duration string or an integer in the key's <see cref="DurationUnit"/>.</summary>
    Duration,
    /// <summary>"512mb", "1gb" (binary units) or an integer number of megabytes.</summary>
    MemorySize,
    /// <summary>"10gb" (decimal units) or an integer number of gigabytes.</summary>
    VolumeSize,
    /// <summary>A TCP/UDP port: an integer, or (legacy) a string of digits.</summary>
    Port,
    StringArray,
    /// <summary>A string array, or a single string that flyctl wraps in an array.</summary>
    StringOrStringArray,
    /// <summary>A table whose keys are free and whose values are scalars (env, build args, headers).</summary>
    ScalarMap,
    /// <summary>A table of anything (build settings, response headers, machine config).</summary>
    FreeTable,
    /// <summary>A table whose keys are the spec's children.</summary>
    Table,
    /// <summary>An array of tables; a single table is accepted too, as flyctl does.</summary>
    TableArray,
    /// <summary>A table of named tables, each following the spec's children (the [checks] section).</summary>
    NamedTables,
    /// <summary>auto_stop_machines: a boolean or "off" | "stop" | "suspend".</summary>
    BooleanOrEnum,
    /// <summary>Any value at all; nothing to check.</summary>
    Any,
}

/// <summary>What a bare integer means for a duration key.</summary>
internal enum DurationUnit
{
    Seconds,
    Milliseconds,
    /// <summary>flyctl does not convert these; Go reads the integer as nanoseconds.</summary>
    Nanoseconds,
}
