using NUnit.Framework;
namespace FlyIo.Toml.Tests;
public class Smoke { [Test] public void Position() => Assert.That(new TomlPosition(1, 2, 0).ToString(), Is.EqualTo("(1,2)")); }
