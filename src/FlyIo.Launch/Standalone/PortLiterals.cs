using System.Globalization;

namespace FlyIo.Launch.Standalone;

/// <summary>Reads a port number written as a literal (<c>8000</c>, <c>"8000"</c>); anything else is not a port.</summary>
internal static class PortLiterals
{
    public static bool TryParse(string? text, out int port)
    {
        port = 0;
        return text is { Length: > 0 and <= 5 }
               && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port)
               && port is > 0 and <= 65535;
    }
}
