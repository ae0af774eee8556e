using System.Collections.Generic;
using System.IO;
using FlyIo.Toml.Syntax;
using NUnit.Framework;

namespace FlyIo.Toml.Tests;

/// <summary>
/// The model and the lossless tree are built by two walks over the parser's tree (the tree only when asked for):
/// every position the model gives must be the start of the matching token in the tree, on every valid suite file
/// and every fly.toml corpus file.
/// </summary>
public class ModelTreeAgreementTests
{
    [TestCaseSource(typeof(SharedCorpus), nameof(SharedCorpus.ValidCases))]
    public void SuiteFile(string relative) => AssertAgree(SharedCorpus.SuitePath(relative));

    [TestCaseSource(typeof(SharedCorpus), nameof(SharedCorpus.FlyTomlFiles))]
    public void FlyTomlFile(string relative) => AssertAgree(SharedCorpus.FlyTomlPath(relative));

    [Test]
    public void ADisagreementIsSeen()
    {
        // The check itself: a model position moved by one character no longer names a token start.
        var document = TomlParser.Parse("a = 1\n");
        var tokens = TokenStarts(document);
        Assert.That(tokens.ContainsKey(document.Root.GetEntry("a")!.Value.Position.Offset), Is.True);
        Assert.That(tokens.ContainsKey(document.Root.GetEntry("a")!.Value.Position.Offset + 1), Is.False);
    }

    private static void AssertAgree(string path)
    {
        var document = TomlParser.Parse(File.ReadAllBytes(path));
        var tokens = TokenStarts(document);
        var checkedPositions = 0;
        Check(document.Root, tokens, ref checkedPositions);
        if (document.Root.Count > 0)
        {
            Assert.That(checkedPositions, Is.GreaterThan(0), path);
        }
    }

    private static void Check(TomlValue value, Dictionary<int, SyntaxKind> tokens, ref int count)
    {
        switch (value)
        {
            case TomlTable table:
                if (table.Origin != TomlTableOrigin.Root && table.Origin != TomlTableOrigin.Implicit && table.Origin != TomlTableOrigin.DottedKey)
                {
                    Expect(tokens, table.Position.Offset, SyntaxKind.OpenBracket, SyntaxKind.DoubleOpenBracket, SyntaxKind.OpenBrace);
                    count++;
                }

                foreach (var entry in table)
                {
                    Expect(tokens, entry.KeyPosition.Offset, SyntaxKind.BareKey, SyntaxKind.BasicString, SyntaxKind.LiteralString);
                    count++;
                    Check(entry.Value, tokens, ref count);
                }

                break;
            case TomlArray array:
                if (!array.IsArrayOfTables)
                {
                    Expect(tokens, array.Position.Offset, SyntaxKind.OpenBracket);
                    count++;
                }

                foreach (var item in array)
                {
                    Check(item, tokens, ref count);
                }

                break;
            default:
                Expect(tokens, value.Position.Offset, SyntaxKind.BasicString, SyntaxKind.LiteralString, SyntaxKind.MultilineBasicString,
                    SyntaxKind.MultilineLiteralString, SyntaxKind.Integer, SyntaxKind.Float, SyntaxKind.Boolean, SyntaxKind.DateTime);
                count++;
                break;
        }
    }

    private static void Expect(Dictionary<int, SyntaxKind> tokens, int offset, params SyntaxKind[] kinds)
    {
        Assert.That(tokens.TryGetValue(offset, out var kind), Is.True, $"no token starts at offset {offset}");
        Assert.That(kinds, Does.Contain(kind), $"the token at offset {offset} is {kind}");
    }

    /// <summary>The kind of the token that starts at each offset (trivia included; a value's token is not trivia).</summary>
    private static Dictionary<int, SyntaxKind> TokenStarts(TomlDocument document)
    {
        var starts = new Dictionary<int, SyntaxKind>();
        var stack = new Stack<SyntaxElement>();
        stack.Push(document.Syntax);
        while (stack.Count > 0)
        {
            var element = stack.Pop();
            if (element is SyntaxToken token)
            {
                if (token.Length > 0 && token.Kind is not (SyntaxKind.Whitespace or SyntaxKind.Newline or SyntaxKind.Comment))
                {
                    starts[token.Start] = token.Kind;
                }

                continue;
            }

            foreach (var child in ((SyntaxNode)element).Children)
            {
                stack.Push(child);
            }
        }

        return starts;
    }
}
