using System.Collections.Generic;

namespace FlyIo.Toml.Syntax;

/// <summary>The whole document: one statement per line (a multi-line value keeps its lines inside its statement).</summary>
public sealed class DocumentSyntax : SyntaxNode
{
    internal DocumentSyntax(IReadOnlyList<StatementSyntax> statements)
        : base(statements, 0) => Statements = statements;

    public IReadOnlyList<StatementSyntax> Statements { get; }
}
