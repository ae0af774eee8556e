using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using FlyIo.Toml.Syntax;

namespace FlyIo.Toml.Editing;

/// <summary>
/// Edits a TOML document on its lossless tree: only the bytes of what is set, added or removed change; comments, blank
/// lines, quoting, key order, indentation, line endings (LF or CRLF, as the file uses) and a byte-order mark stay.
/// Every edit is re-parsed, so the document stays valid TOML or the edit throws <see cref="InvalidOperationException"/>.
/// </summary>
public sealed class TomlEditor
{
    private string _text;
    private TomlDocument _document;
    private List<Section> _sections = new();
    private List<Entry> _entries = new();

    private TomlEditor(string text, bool hasBom)
    {
        _text = text;
        HasByteOrderMark = hasBom;
        NewLine = DetectNewLine(text);
        _document = Reparse(text);
        Scan();
    }

    /// <summary>True when the source began with a UTF-8 byte-order mark (kept on save).</summary>
    public bool HasByteOrderMark { get; }

    /// <summary>The line ending used for inserted lines: the one most of the file's lines use, LF when it has none.</summary>
    public string NewLine { get; }

    /// <summary>The current text (without the byte-order mark).</summary>
    public string Text => _text;

    /// <summary>The current document (re-parsed after every edit).</summary>
    public TomlDocument Document => _document;

    public static TomlEditor Parse(string text)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        var bom = text.Length > 0 && text[0] == '\uFEFF';
        return new TomlEditor(bom ? text.Substring(1) : text, bom);
    }

    public static TomlEditor FromBytes(byte[] utf8)
    {
        var document = TomlParser.Parse(utf8);
        return new TomlEditor(document.ToTomlString(), document.HasByteOrderMark);
    }

    public static TomlEditor Load(string path) => FromBytes(TomlFiles.ReadBytes(path));

    /// <summary>The document as UTF-8, with the byte-order mark when the source had one.</summary>
    public byte[] ToBytes()
    {
        var body = new UTF8Encoding(false).GetBytes(_text);
        if (!HasByteOrderMark)
        {
            return body;
        }

        var bytes = new byte[body.Length + 3];
        bytes[0] = 0xEF;
        bytes[1] = 0xBB;
        bytes[2] = 0xBF;
        Buffer.BlockCopy(body, 0, bytes, 3, body.Length);
        return bytes;
    }

    /// <summary>Writes the document atomically when its bytes differ from the file's; returns whether it wrote.</summary>
    public bool SaveIfChanged(string path) => AtomicFile.WriteIfChanged(path, ToBytes());

    /// <summary>True when the path names a key (value), a table or an array-of-tables element written in the document.</summary>
    public bool Contains(TomlPath path) => FindEntry(path) is not null || FindSection(path) is not null;

    public bool SetString(TomlPath path, string value)
    {
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value));
        }

        var existing = FindEntry(path);
        var literal = existing?.Kv.Value is ScalarValueSyntax s && s.Token.Kind == SyntaxKind.LiteralString && TomlText.CanBeLiteral(value);
        return SetRaw(path, literal ? TomlText.LiteralString(value) : TomlText.BasicString(value));
    }

    public bool SetInteger(TomlPath path, long value) => SetRaw(path, TomlText.Integer(value));

    public bool SetBoolean(TomlPath path, bool value) => SetRaw(path, TomlText.Boolean(value));

    /// <summary>Sets a key to a value given as TOML text (e.g. <c>"[1, 2]"</c>); adds the key where a person would.</summary>
    public bool SetRaw(TomlPath path, string valueText)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        if (valueText is null)
        {
            throw new ArgumentNullException(nameof(valueText));
        }

        var leaf = path.LeafKey;
        var existing = FindEntry(path);
        if (existing is not null)
        {
            var value = existing.Kv.Value;
            if (value.ToString() == valueText)
            {
                return false;
            }

            Replace(value.Start, value.Length, valueText);
            return true;
        }

        var parent = path.Parent;
        for (var length = parent.Count; length >= 0; length--)
        {
            var ancestor = Prefix(path, length);
            var rest = Tail(path, length);
            var section = FindSection(ancestor);
            if (section is not null && (length > 0 || parent.Count == 0))
            {
                InsertInSection(section, RequireNames(rest, path), valueText);
                return true;
            }

            var inline = FindEntry(ancestor);
            if (inline is not null && inline.Kv.Value is InlineTableSyntax table)
            {
                InsertInInlineTable(table, RequireNames(rest, path), valueText);
                return true;
            }

            if (length > 0 && FindDottedGroup(ancestor) is { } last)
            {
                InsertAfter(last.Kv, Indentation(last.Kv), TomlText.DottedKey(RequireNames(Tail(path, last.Section.Path.Count), path)) + " = " + valueText);
                return true;
            }

            if (length == 0)
            {
                CreateTable(RequireNames(parent, path), leaf, valueText);
                return true;
            }

            if (ancestor.Segments[ancestor.Count - 1] is int)
            {
                throw new InvalidOperationException("No element " + ancestor + " in the document.");
            }
        }

        throw new InvalidOperationException("Unreachable.");
    }

    /// <summary>Removes a key, a table (with its sub-tables) or an array-of-tables element. Returns false when absent.</summary>
    /// <param name="path">What to remove.</param>
    /// <param name="removeEmptyTable">Also remove the key's <c>[table]</c> header when the key was its only content.</param>
    public bool Remove(TomlPath path, bool removeEmptyTable = true)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        var entry = FindEntry(path);
        if (entry is not null)
        {
            if (entry.Owner is not null)
            {
                RemoveInlineMember(entry.Owner, entry.Kv);
                return true;
            }

            var section = entry.Section;
            if (removeEmptyTable && section.Header is not null && !section.IsArrayElement && IsOnlyContent(section, entry.Kv))
            {
                RemoveSection(section);
                return true;
            }

            RemoveStatement(entry.Kv);
            return true;
        }

        var table = FindSection(path);
        if (table is null || table.Header is null)
        {
            return false;
        }

        // Sub-tables go with their table, last first so offsets stay valid.
        var doomed = new List<Section>();
        foreach (var s in _sections)
        {
            if (s.Header is not null && StartsWith(s.Path, path))
            {
                doomed.Add(s);
            }
        }

        for (var i = doomed.Count - 1; i >= 0; i--)
        {
            var current = FindSectionByHeaderStart(doomed[i].Header!.Start);
            RemoveSection(current!);
        }

        return true;
    }

    /// <summary>Adds an empty <c>[table]</c> when no such table exists; returns whether it added one.</summary>
    public bool AddTable(TomlPath path)
    {
        if (FindSection(path) is not null || FindEntry(path) is not null)
        {
            return false;
        }

        InsertTableHeader("[" + TomlText.DottedKey(RequireNames(path, path)) + "]", RequireNames(path, path), null);
        return true;
    }

    /// <summary>Appends a <c>[[path]]</c> element after the existing ones; returns its index.</summary>
    public int AddArrayTableEntry(TomlPath path)
    {
        var names = RequireNames(path, path);
        var count = 0;
        foreach (var s in _sections)
        {
            if (s.IsArrayElement && s.Path.Count == path.Count + 1 && StartsWith(s.Path, path))
            {
                count++;
            }
        }

        InsertTableHeader("[[" + TomlText.DottedKey(names) + "]]", names, null);
        return count;
    }

    // ---- lookup ----

    private Entry? FindEntry(TomlPath path)
    {
        foreach (var e in _entries)
        {
            if (e.Path.Equals(path))
            {
                return e;
            }
        }

        return null;
    }

    private Section? FindSection(TomlPath path)
    {
        foreach (var s in _sections)
        {
            if (s.Path.Equals(path))
            {
                return s;
            }
        }

        return null;
    }

    private Section? FindSectionByHeaderStart(int start)
    {
        foreach (var s in _sections)
        {
            if (s.Header is not null && s.Header.Start == start)
            {
                return s;
            }
        }

        return null;
    }

    /// <summary>The last top-level (not inline) key-value that defines <paramref name="table"/> through a dotted key.</summary>
    private Entry? FindDottedGroup(TomlPath table)
    {
        Entry? last = null;
        foreach (var e in _entries)
        {
            if (e.Owner is null && e.Path.Count > table.Count && StartsWith(e.Path, table) && e.Section.Path.Count < table.Count)
            {
                last = e;
            }
        }

        return last;
    }

    // ---- insertion ----

    private void InsertInSection(Section section, IReadOnlyList<string> names, string valueText)
    {
        var line = TomlText.DottedKey(names) + " = " + valueText;
        KeyValueSyntax? lastKv = null;
        for (var i = section.First; i < section.End; i++)
        {
            if (_document.Syntax.Statements[i] is KeyValueSyntax kv)
            {
                lastKv = kv;
            }
        }

        if (lastKv is not null)
        {
            InsertAfter(lastKv, Indentation(lastKv), line);
            return;
        }

        if (section.Header is not null)
        {
            InsertAfter(section.Header, TableKeyIndentation(), line);
            return;
        }

        // Root without keys: before the first table (and its comments), separated by a blank line.
        var at = FirstTableInsertionPoint();
        if (at < 0)
        {
            AppendAtEnd(line + NewLine, blankBefore: false);
        }
        else
        {
            Replace(at, 0, line + NewLine + NewLine);
        }
    }

    private void InsertInInlineTable(InlineTableSyntax table, IReadOnlyList<string> names, string valueText)
    {
        var member = TomlText.DottedKey(names) + " = " + valueText;
        if (table.Members.Count > 0)
        {
            var last = table.Members[table.Members.Count - 1];
            Replace(last.End, 0, ", " + member);
        }
        else
        {
            var open = table.Children[0];
            var spaced = table.Children.Count > 2 && table.Children[1] is SyntaxToken t && t.Kind == SyntaxKind.Whitespace;
            Replace(open.End, 0, spaced ? member : " " + member + " ");
        }
    }

    private void InsertAfter(StatementSyntax statement, string indentation, string line)
    {
        var prefix = EndsWithNewline(statement) ? string.Empty : NewLine;
        Replace(statement.End, 0, prefix + indentation + line + NewLine);
    }

    private void CreateTable(IReadOnlyList<string> tableNames, string leaf, string valueText)
    {
        var body = TableKeyIndentation() + TomlText.Key(leaf) + " = " + valueText + NewLine;
        InsertTableHeader("[" + TomlText.DottedKey(tableNames) + "]", tableNames, body);
    }

    /// <summary>
    /// Inserts a header line (and body) where a person would: after the last table of the same family
    /// (<c>[http_service.x]</c> after <c>[http_service]</c>, <c>[[services]]</c> after the last <c>[[services]]</c>),
    /// else after the top-level keys, before the first table; one blank line around it.
    /// </summary>
    private void InsertTableHeader(string header, IReadOnlyList<string> names, string? body)
    {
        var block = header + NewLine + (body ?? string.Empty);
        Section? family = null;
        foreach (var s in _sections)
        {
            if (s.Header is not null && s.Path.Count > 0 && s.Path.Segments[0] is string first && first == names[0])
            {
                family = s;
            }
        }

        var at = family is not null ? SectionContentEnd(family) : FirstTableInsertionPoint();
        if (at < 0)
        {
            AppendAtEnd(block, blankBefore: true);
            return;
        }

        var before = at > 0 && !PrecededByBlankLine(at) ? NewLine : string.Empty;
        var after = at < _text.Length && !StartsWithBlankLine(at) ? NewLine : string.Empty;
        Replace(at, 0, before + block + after);
    }

    /// <summary>Offset after a section's last line that is not a blank line or comment (those introduce what follows); -1 at the end of the text.</summary>
    private int SectionContentEnd(Section section)
    {
        var statements = _document.Syntax.Statements;
        var j = section.End;
        while (j - 1 > section.First && statements[j - 1] is TriviaSyntax)
        {
            j--;
        }

        if (j >= statements.Count)
        {
            return -1;
        }

        return statements[j].Start;
    }

    private bool StartsWithBlankLine(int offset)
    {
        for (var i = offset; i < _text.Length; i++)
        {
            var c = _text[i];
            if (c == '\n')
            {
                return true;
            }

            if (c != ' ' && c != '\t' && c != '\r')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Offset where a new first table goes: before the first header's attached comment lines; -1 when there is no header.</summary>
    private int FirstTableInsertionPoint()
    {
        var statements = _document.Syntax.Statements;
        for (var i = 0; i < statements.Count; i++)
        {
            if (statements[i] is TableHeaderSyntax)
            {
                return AttachedCommentsStart(i);
            }
        }

        return -1;
    }

    /// <summary>Start of the comment lines directly above statement <paramref name="index"/> (no blank line between).</summary>
    private int AttachedCommentsStart(int index)
    {
        var statements = _document.Syntax.Statements;
        var i = index;
        while (i > 0 && IsCommentLine(statements[i - 1]))
        {
            i--;
        }

        // A comment block at the very top belongs to the file, not to the table.
        if (i == 0 && index > 0)
        {
            i = index;
        }

        return StatementStartOrEnd(i);
    }

    private int StatementStartOrEnd(int index)
    {
        var statements = _document.Syntax.Statements;
        return index < statements.Count ? statements[index].Start : _text.Length;
    }

    private void AppendAtEnd(string block, bool blankBefore)
    {
        var prefix = new StringBuilder();
        if (_text.Length > 0 && !_text.EndsWith("\n", StringComparison.Ordinal))
        {
            prefix.Append(NewLine);
        }

        if (blankBefore && _text.Length > 0 && !PrecededByBlankLine(_text.Length + prefix.Length, prefix.ToString()))
        {
            prefix.Append(NewLine);
        }

        Replace(_text.Length, 0, prefix + block);
    }

    /// <summary>True when the text before <paramref name="offset"/> ends with an empty line (or is empty).</summary>
    private bool PrecededByBlankLine(int offset, string pending = "")
    {
        var text = _text.Substring(0, Math.Min(offset, _text.Length)) + pending;
        if (text.Length == 0)
        {
            return true;
        }

        if (!text.EndsWith("\n", StringComparison.Ordinal))
        {
            return false;
        }

        var end = text.Length - 1;
        if (end > 0 && text[end - 1] == '\r')
        {
            end--;
        }

        var lineStart = text.LastIndexOf('\n', Math.Max(0, end - 1));
        if (end == 0)
        {
            return true;
        }

        var previous = lineStart < 0 ? text.Substring(0, end) : text.Substring(lineStart + 1, end - lineStart - 1);
        return previous.Trim().Length == 0;
    }

    private string TableKeyIndentation()
    {
        foreach (var s in _sections)
        {
            if (s.Header is null)
            {
                continue;
            }

            for (var i = s.First; i < s.End; i++)
            {
                if (_document.Syntax.Statements[i] is KeyValueSyntax kv)
                {
                    return Indentation(kv);
                }
            }
        }

        return string.Empty;
    }

    // ---- removal ----

    private void RemoveStatement(StatementSyntax statement)
    {
        var start = statement.Start;
        if (!EndsWithNewline(statement) && start > 0)
        {
            // The last line has no newline: take the one that ended the line before.
            start -= start > 1 && _text[start - 2] == '\r' && _text[start - 1] == '\n' ? 2 : 1;
        }

        Replace(start, statement.End - start, string.Empty);
    }

    private void RemoveInlineMember(InlineTableSyntax table, KeyValueSyntax member)
    {
        var index = -1;
        for (var i = 0; i < table.Members.Count; i++)
        {
            if (ReferenceEquals(table.Members[i], member))
            {
                index = i;
            }
        }

        if (table.Members.Count == 1)
        {
            Replace(member.Start, member.Length, string.Empty);
        }
        else if (index < table.Members.Count - 1)
        {
            Replace(member.Start, table.Members[index + 1].Start - member.Start, string.Empty);
        }
        else
        {
            var previous = table.Members[index - 1];
            Replace(previous.End, member.End - previous.End, string.Empty);
        }
    }

    private bool IsOnlyContent(Section section, KeyValueSyntax kv)
    {
        // Trailing comment and blank lines introduce the next table; they do not count.
        var end = section.End;
        while (end - 1 > section.First && _document.Syntax.Statements[end - 1] is TriviaSyntax)
        {
            end--;
        }

        for (var i = section.First + 1; i < end; i++)
        {
            var statement = _document.Syntax.Statements[i];
            if (!ReferenceEquals(statement, kv) && !IsBlankLine(statement))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Removes a header and its lines, keeping the comments that introduce the next table.</summary>
    private void RemoveSection(Section section)
    {
        var statements = _document.Syntax.Statements;
        var start = statements[section.First].Start;
        int end;
        if (section.End < statements.Count)
        {
            end = AttachedCommentsStart(section.End);
            if (end < start)
            {
                end = statements[section.End].Start;
            }
        }
        else
        {
            end = _text.Length;

            // At the end of the file: also drop the blank line that separated the table from what came before.
            if (section.First > 0 && IsBlankLine(statements[section.First - 1]))
            {
                start = statements[section.First - 1].Start;
            }
        }

        Replace(start, end - start, string.Empty);
    }

    // ---- text and tree ----

    private void Replace(int start, int length, string replacement)
    {
        var text = _text.Substring(0, start) + replacement + _text.Substring(start + length);
        _document = Reparse(text);
        _text = text;
        Scan();
    }

    private static TomlDocument Reparse(string text)
    {
        try
        {
            return TomlParser.Parse(text);
        }
        catch (TomlParseException e)
        {
            throw new InvalidOperationException("The edit would make the document invalid TOML: " + e.Message, e);
        }
    }

    private void Scan()
    {
        var sections = new List<Section>();
        var entries = new List<Entry>();
        var arrayCounts = new Dictionary<TomlPath, int>();
        var current = new Section(new TomlPath(), null, 0, false);
        sections.Add(current);
        var statements = _document.Syntax.Statements;
        for (var i = 0; i < statements.Count; i++)
        {
            var statement = statements[i];
            if (statement is TableHeaderSyntax header)
            {
                current.End = i;
                var names = header.Key.Names;
                var resolved = new TomlPath();
                for (var n = 0; n < names.Count; n++)
                {
                    resolved = resolved.Append(names[n]);
                    var isLast = n == names.Count - 1;
                    if (isLast && header.IsArrayOfTables)
                    {
                        arrayCounts.TryGetValue(resolved, out var count);
                        arrayCounts[resolved] = count + 1;
                        resolved = resolved.Append(count);
                    }
                    else if (arrayCounts.TryGetValue(resolved, out var existing))
                    {
                        resolved = resolved.Append(existing - 1);
                    }
                }

                current = new Section(resolved, header, i, header.IsArrayOfTables);
                sections.Add(current);
            }
            else if (statement is KeyValueSyntax kv)
            {
                AddEntries(entries, current, Concat(current.Path, kv.Key.Names), kv, null);
            }
        }

        current.End = statements.Count;
        _sections = sections;
        _entries = entries;
    }

    private static void AddEntries(List<Entry> entries, Section section, TomlPath path, KeyValueSyntax kv, InlineTableSyntax? owner)
    {
        entries.Add(new Entry(path, kv, section, owner));
        if (kv.Value is InlineTableSyntax table)
        {
            foreach (var member in table.Members)
            {
                AddEntries(entries, section, Concat(path, member.Key.Names), member, table);
            }
        }
    }

    private static TomlPath Concat(TomlPath path, IReadOnlyList<string> names)
    {
        var result = path;
        foreach (var n in names)
        {
            result = result.Append(n);
        }

        return result;
    }

    private static TomlPath Prefix(TomlPath path, int length)
    {
        var segments = new object[length];
        for (var i = 0; i < length; i++)
        {
            segments[i] = path.Segments[i];
        }

        return new TomlPath(segments);
    }

    private static TomlPath Tail(TomlPath path, int from)
    {
        var segments = new object[path.Count - from];
        for (var i = from; i < path.Count; i++)
        {
            segments[i - from] = path.Segments[i];
        }

        return new TomlPath(segments);
    }

    private static bool StartsWith(TomlPath path, TomlPath prefix)
    {
        if (path.Count < prefix.Count)
        {
            return false;
        }

        for (var i = 0; i < prefix.Count; i++)
        {
            if (!path.Segments[i].Equals(prefix.Segments[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static IReadOnlyList<string> RequireNames(TomlPath part, TomlPath whole)
    {
        var names = new List<string>();
        foreach (var s in part.Segments)
        {
            if (s is not string name)
            {
                throw new InvalidOperationException("No element " + whole + " in the document (array-of-tables indexes must exist).");
            }

            names.Add(name);
        }

        return names;
    }

    private static string Indentation(StatementSyntax statement) =>
        statement.Children.Count > 0 && statement.Children[0] is SyntaxToken t && t.Kind == SyntaxKind.Whitespace ? t.Text : string.Empty;

    private static bool EndsWithNewline(StatementSyntax statement) =>
        statement.Children.Count > 0 && statement.Children[statement.Children.Count - 1] is SyntaxToken t && t.Kind == SyntaxKind.Newline;

    private static bool IsBlankLine(StatementSyntax statement)
    {
        if (statement is not TriviaSyntax)
        {
            return false;
        }

        foreach (var child in statement.Children)
        {
            if (child is SyntaxToken t && t.Kind == SyntaxKind.Comment)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsCommentLine(StatementSyntax statement) => statement is TriviaSyntax && !IsBlankLine(statement);

    /// <summary>The file's line ending: CRLF when most of its lines end so, else LF.</summary>
    private static string DetectNewLine(string text)
    {
        int crlf = 0, lf = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                if (i > 0 && text[i - 1] == '\r')
                {
                    crlf++;
                }
                else
                {
                    lf++;
                }
            }
        }

        return crlf > lf ? "\r\n" : "\n";
    }

    private sealed class Section
    {
        public Section(TomlPath path, TableHeaderSyntax? header, int first, bool isArrayElement)
        {
            Path = path;
            Header = header;
            First = first;
            IsArrayElement = isArrayElement;
        }

        public TomlPath Path { get; }

        public TableHeaderSyntax? Header { get; }

        /// <summary>Index of the header statement (0 for the root).</summary>
        public int First { get; }

        /// <summary>Index after the section's last statement.</summary>
        public int End { get; set; }

        public bool IsArrayElement { get; }
    }

    private sealed class Entry
    {
        public Entry(TomlPath path, KeyValueSyntax kv, Section section, InlineTableSyntax? owner)
        {
            Path = path;
            Kv = kv;
            Section = section;
            Owner = owner;
        }

        public TomlPath Path { get; }

        public KeyValueSyntax Kv { get; }

        public Section Section { get; }

        /// <summary>The inline table holding this member, or null for a line of its own.</summary>
        public InlineTableSyntax? Owner { get; }
    }
}
