using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace FlyIo.Sdk.Tasks;

/// <summary>A heading line and left-aligned columns, two spaces apart, as `fly status` and `fly volumes list` print them.</summary>
internal static class TextTable
{
    public static string Render(string heading, string[] header, IEnumerable<string[]> body)
    {
        var rows = new List<string[]> { header };
        rows.AddRange(body);
        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder(heading);
        foreach (var row in rows)
        {
            text.Append(Environment.NewLine).Append("  ").Append(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))));
        }

        return text.ToString();
    }
}
