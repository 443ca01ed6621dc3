"""The desktop side: menus, toolbar, dock. Holds no rules: it talks to qgis_adapter/ and core/ and runs
the algorithms only through QGIS's Processing registry (by id), never by importing algorithms/."""
