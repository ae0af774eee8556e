using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace FlyIo.Images;

/// <summary>A small line diff (longest common subsequence) printed in unified format with 3 lines of context.</summary>
public static class LineDiff
{
    private enum Op { Same, Delete, Insert }

    public static string Unified(string oldText, string newText, string oldName, string newName, int context = 3)
    {
        var a = DockerfileText.SplitLines(oldText);
        var b = DockerfileText.SplitLines(newText);
        var ops = Diff(a, b);
        var sb = new StringBuilder();
        var changed = false;
        foreach (var op in ops)
        {
            if (op.Item1 != Op.Same)
            {
                changed = true;
                break;
            }
        }

        if (!changed)
        {
            return string.Empty;
        }

        sb.Append("--- ").Append(oldName).Append('\n');
        sb.Append("+++ ").Append(newName).Append('\n');
        var i = 0;
        while (i < ops.Count)
        {
            if (ops[i].Item1 == Op.Same)
            {
                i++;
                continue;
            }

            // A hunk: from `context` lines before this change to `context` lines after the last change that is
            // within 2*context lines of the next one.
            var start = Math.Max(0, i - context);
            var end = i;
            var sameRun = 0;
            var j = i;
            for (; j < ops.Count; j++)
            {
                if (ops[j].Item1 == Op.Same)
                {
                    sameRun++;
                    if (sameRun > 2 * context)
                    {
                        break;
                    }
                }
                else
                {
                    sameRun = 0;
                    end = j;
                }
            }

            var stop = Math.Min(ops.Count, end + context + 1);
            int oldStart = 0, newStart = 0, oldCount = 0, newCount = 0;
            CountBefore(ops, start, out oldStart, out newStart);
            var body = new StringBuilder();
            for (var k = start; k < stop; k++)
            {
                var (op, line) = ops[k];
                switch (op)
                {
                    case Op.Same:
                        body.Append(' ').Append(line).Append('\n');
                        oldCount++;
                        newCount++;
                        break;
                    case Op.Delete:
                        body.Append('-').Append(line).Append('\n');
                        oldCount++;
                        break;
                    default:
                        body.Append('+').Append(line).Append('\n');
                        newCount++;
                        break;
                }
            }

            sb.Append("@@ -").Append(Range(oldStart, oldCount)).Append(" +").Append(Range(newStart, newCount)).Append(" @@\n");
            sb.Append(body);
            i = stop;
        }

        return sb.ToString();
    }

    /// <summary>The 1-based line of the committed text where the first difference is; 0 when equal.</summary>
    public static int FirstDifferentLine(string oldText, string newText)
    {
        var a = DockerfileText.SplitLines(oldText);
        var b = DockerfileText.SplitLines(newText);
        var n = Math.Min(a.Count, b.Count);
        for (var i = 0; i < n; i++)
        {
            if (!string.Equals(a[i], b[i], StringComparison.Ordinal))
            {
                return i + 1;
            }
        }

        return a.Count == b.Count ? 0 : n + 1;
    }

    private static string Range(int start, int count)
    {
        // Unified format: an empty range starts at the line before it.
        var s = count == 0 ? start : start + 1;
        return s.ToString(CultureInfo.InvariantCulture) + "," + count.ToString(CultureInfo.InvariantCulture);
    }

    private static void CountBefore(List<(Op, string)> ops, int index, out int oldLines, out int newLines)
    {
        oldLines = 0;
        newLines = 0;
        for (var k = 0; k < index; k++)
        {
            if (ops[k].Item1 != Op.Insert)
            {
                oldLines++;
            }

            if (ops[k].Item1 != Op.Delete)
            {
                newLines++;
            }
        }
    }

    private static List<(Op, string)> Diff(List<string> a, List<string> b)
    {
        var n = a.Count;
        var m = b.Count;
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                lcs[i, j] = string.Equals(a[i], b[j], StringComparison.Ordinal) ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var ops = new List<(Op, string)>();
        int x = 0, y = 0;
        while (x < n && y < m)
        {
            if (string.Equals(a[x], b[y], StringComparison.Ordinal))
            {
                ops.Add((Op.Same, a[x]));
                x++;
                y++;
            }
            else if (lcs[x + 1, y] >= lcs[x, y + 1])
            {
                ops.Add((Op.Delete, a[x]));
                x++;
            }
            else
            {
                ops.Add((Op.Insert, b[y]));
                y++;
            }
        }

        while (x < n)
        {
            ops.Add((Op.Delete, a[x++]));
        }

        while (y < m)
        {
            ops.Add((Op.Insert, b[y++]));
        }

        return ops;
    }
}
