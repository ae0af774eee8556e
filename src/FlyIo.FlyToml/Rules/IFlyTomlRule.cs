namespace FlyIo.FlyToml.Rules;

/// <summary>One validation rule that needs more than a single key's value (those live in the schema).</summary>
internal interface IFlyTomlRule
{
    void Check(RuleContext context);
}
