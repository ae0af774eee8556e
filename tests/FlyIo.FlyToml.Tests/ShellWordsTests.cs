using FlyIo.AppModel;
using FlyIo.Diagnostics;
using NUnit.Framework;

namespace FlyIo.FlyToml.Tests;

public class ShellWordsTests
{
    [TestCase("bin/rails fly:release", new[] { "bin/rails", "fly:release" })]
    [TestCase("  a   b\tc ", new[] { "a", "b", "c" })]
    [TestCase("echo 'Hello world'", new[] { "echo", "Hello world" })]
    [TestCase("echo \"say \\\"hi\\\"\"", new[] { "echo", "say \"hi\"" })]
    [TestCase("echo a\\ b", new[] { "echo", "a b" })]
    [TestCase("echo 'a'\"b\"c", new[] { "echo", "abc" })]
    [TestCase("run # a comment", new[] { "run" })]
    [TestCase("run # a comment\nto the end of its line", new[] { "run", "to", "the", "end", "of", "its", "line" })]
    [TestCase("", new string[0])]
    public void Splits_like_a_posix_shell(string line, string[] words)
    {
        var result = ShellWords.Split(line);
        Assert.That(result.Success, Is.True, result.Error);
        Assert.That(result.Words, Is.EqualTo(words));
    }

    [TestCase("echo 'unclosed", 5)]
    [TestCase("echo \"unclosed", 5)]
    [TestCase("echo trailing\\", 13)]
    public void Reports_unbalanced_quotes_and_trailing_backslash(string line, int index)
    {
        var result = ShellWords.Split(line);
        Assert.That(result.Success, Is.False);
        Assert.That(result.ErrorIndex, Is.EqualTo(index));
    }

    [TestCase("console_command = \"/bin/sh -c 'x\"\n")]
    [TestCase("[processes]\nweb = \"run \\\\\"\n")]
    [TestCase("[deploy]\nseed_command = \"seed \\\"x\"\n")]
    public void Validator_rejects_unsplittable_commands(string body)
    {
        var result = FlyTomlCase.Validate("app = \"x\"\n" + body);
        Assert.That(FlyTomlCase.Single(result, FlyCodes.ShellSplit.Code).Line, Is.GreaterThan(1));
    }
}
