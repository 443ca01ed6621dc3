"""The desktop side: menus, toolbar, dock. Holds no rules: it calls processing/ and core/."""
