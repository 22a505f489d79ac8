"""Courses, modules, quizzes, progress, renewals and certificates."""
