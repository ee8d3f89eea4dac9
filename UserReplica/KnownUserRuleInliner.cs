using System.Linq.Expressions;
using System.Reflection;

namespace ConcertBooking.UserReplica;

/// <summary>Writes <see cref="KnownUsers.Rule"/> in place of each <see cref="KnownUsers.IsKnownAs"/> call, its arguments bound to the rule's parameters.</summary>
internal sealed class KnownUserRuleInliner : ExpressionVisitor
{
    private static readonly MethodInfo Marker = typeof(KnownUsers).GetMethod(nameof(KnownUsers.IsKnownAs))!;

    private Dictionary<ParameterExpression, Expression>? _bindings;

    protected override Expression VisitMethodCall(MethodCallExpression node)
    {
        if (node.Method != Marker)
        {
            return base.VisitMethodCall(node);
        }

        var rule = KnownUsers.Rule;
        var bindings = new Dictionary<ParameterExpression, Expression>
        {
            [rule.Parameters[0]] = Visit(node.Arguments[0]),
            [rule.Parameters[1]] = Visit(node.Arguments[1]),
        };
        var outer = _bindings;
        _bindings = bindings;
        try
        {
            return Visit(rule.Body);
        }
        finally
        {
            _bindings = outer;
        }
    }

    protected override Expression VisitParameter(ParameterExpression node) =>
        _bindings is not null && _bindings.TryGetValue(node, out var bound) ? bound : node;
}
