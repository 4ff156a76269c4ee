"""Built-in plugins. Each registers through the ``zhibu`` entry-point group like any third-party one."""
