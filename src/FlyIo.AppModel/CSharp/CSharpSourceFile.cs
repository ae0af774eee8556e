using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace FlyIo.AppModel.CSharp;

/// <summary>
/// One C# source file, read and lexed once: what routes, configuration reads, native needs and EF Core declarations
/// are all found in. Consumers walk <see cref="Tokens"/>; none reads or lexes the file again.
/// </summary>
public sealed class CSharpSourceFile
{
    private int[]? _lineStarts;

    public CSharpSourceFile(string path, string text)
    {
        Path = path;
        Text = text;
        // An array: trimmed to size (the sources stay cached for the build) and indexed without interface calls.
        Tokens = CSharpLexer.Tokenize(text).ToArray();
    }

    /// <summary>The file's path, as diagnostics name it.</summary>
    public string Path { get; }

    public string Text { get; }

    public CSharpToken[] Tokens { get; }

    /// <summary>Reads and lexes a file; null when it is missing or unreadable (a Compile item may name a file not yet generated).</summary>
    public static CSharpSourceFile? TryRead(string path)
    {
        try
        {
            return new CSharpSourceFile(path, File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The 1-based line and column of a character offset.</summary>
    public (int Line, int Column) Locate(int offset)
    {
        var starts = _lineStarts ??= LineStarts(Text);
        var line = Array.BinarySearch(starts, offset);
        if (line < 0)
        {
            // Not a line start: the line is the one starting before it.
            line = ~line - 1;
        }

        return (line + 1, offset - starts[line] + 1);
    }

    private static int[] LineStarts(string text) =>
        new[] { 0 }.Concat(Enumerable.Range(0, text.Length).Where(i => text[i] == '\n').Select(i => i + 1)).ToArray();
}
