using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using FlyIo.Diagnostics;

namespace FlyIo.Toml.Lexing;

/// <summary>The document text with an offset-to-line map, and the single place errors are thrown from.</summary>
internal sealed class SourceText
{
    private readonly List<int> _lineStarts = new() { 0 };

    public SourceText(string text)
    {
        Text = text;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    public string Text { get; }

    public TomlPosition GetPosition(int offset)
    {
        var index = _lineStarts.BinarySearch(offset);
        if (index < 0)
        {
            index = ~index - 1;
        }

        return new TomlPosition(index + 1, offset - _lineStarts[index] + 1, offset);
    }

    [DoesNotReturn]
    public void Fail(DiagnosticDescriptor code, string reason, int offset)
    {
        var position = GetPosition(offset);
        throw new TomlParseException(code, reason, position.Line, position.Column);
    }
}
